/** Stylesheets imported for their side effect; Vite bundles them into the renderer's CSS. */
declare module '*.css';
