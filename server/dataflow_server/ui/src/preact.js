// The console's only third-party code: Preact (rendering, hooks) and htm
// (tagged-template markup, so the sources need no JSX compiler). Versions are
// pinned in the root package.json and package-lock.json; `make gen-ui` bundles
// them with these sources into static/app.js.
import { Fragment, h, render } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import htm from "htm";

export const html = htm.bind(h);
export { Fragment, h, render, useCallback, useEffect, useMemo, useRef, useState };
