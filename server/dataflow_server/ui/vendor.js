// The UI's only third-party code: Preact (rendering, hooks) and htm (tagged-template
// markup, so the UI needs no JSX compiler). `make gen-ui` bundles this file with
// esbuild into static/vendor/preact-htm.js, the committed file the server serves;
// `make check-gen` fails when that file differs from a fresh bundle. Versions are
// pinned in the root package.json and package-lock.json.
import { Fragment, h, render } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import htm from "htm";

export const html = htm.bind(h);
export { Fragment, h, render, useCallback, useEffect, useMemo, useRef, useState };
