/** The workbench version, injected by Vite's `define` (vite.config.ts). */
declare const __APP_VERSION__: string;
