// @ts-check
import { defineConfig } from "astro/config";
import mdx from "@astrojs/mdx";
import { labIntegration } from "./src/server/astro-lab-integration.ts";
import { precompressIntegration } from "./src/server/precompress-integration.ts";
import { codeThemes } from "./src/layouts/code-themes.ts";

export default defineConfig({
  // The production server (src/server/start.ts) serves the static build; the lab is attached to
  // it there, and to the dev server by the integration below.
  output: "static",
  trailingSlash: "ignore",
  build: {
    format: "directory",
    // Stylesheets stay files so the Content-Security-Policy can forbid inline <style>.
    inlineStylesheets: "never",
  },
  // precompressIntegration writes brotli and gzip copies of the build's text files (src/server/precompress.ts).
  integrations: [mdx(), labIntegration(), precompressIntegration()],
  markdown: {
    shikiConfig: {
      themes: codeThemes,
      defaultColor: false,
      wrap: false,
    },
  },
  devToolbar: { enabled: false },
  vite: {
    // Never inline scripts into pages: the Content-Security-Policy allows only script files
    // from this origin (script-src 'self'), which keeps injected markup from running code.
    // SP_NO_MINIFY=1 keeps function names readable in a browser profile (bench investigations).
    build: { assetsInlineLimit: 0, cssCodeSplit: false, minify: process.env.SP_NO_MINIFY ? false : "esbuild" },
  },
});
