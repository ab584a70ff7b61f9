/** Run an example's `main`: exit with its code, or print the error and exit 1. */
export function run(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error("error:", error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
