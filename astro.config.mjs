// @ts-check
import { defineConfig } from "astro/config";
import mdx from "@astrojs/mdx";
import { labIntegration } from "./src/server/astro-lab-integration.ts";
import { precompressIntegration } from "./src/server/precompress-integration.ts";
import { codeThemes } from "./src/widgets/shared/code-themes.ts";
import { copyCodeTransformer } from "./src/layouts/copy-code-transformer.ts";

export default defineConfig({
  // The production server (src/server/serve.ts) serves the static build; the lab is attached to
  // it there, and to the dev server by the integration below.
  output: "static",
  trailingSlash: "ignore",
  build: {
    format: "directory",
    // Each page's styles (only those of the components it uses, cssCodeSplit below) are inlined
    // into it: a stylesheet file is a render-blocking request, a round trip or two on a phone
    // before the first paint. The Content-Security-Policy allows them by their hashes
    // (src/server/inline-style-hashes.ts).
    inlineStylesheets: "always",
  },
  // precompressIntegration writes the inline styles' hashes for the CSP, and brotli and gzip
  // copies of the build's text files (src/server/precompress-integration.ts).
  integrations: [mdx(), labIntegration(), precompressIntegration()],
  markdown: {
    shikiConfig: {
      themes: codeThemes,
      defaultColor: false,
      wrap: false,
      // A "Copy" button beside every code block, written at build time.
      transformers: [copyCodeTransformer],
    },
  },
  devToolbar: { enabled: false },
  vite: {
    // Never inline scripts into pages: the Content-Security-Policy allows script files from this
    // origin and the one inline theme script by its hash, which keeps injected markup from
    // running code. Styles split by page (cssCodeSplit): a lesson parses 24–34 KB of CSS before
    // its first paint instead of the whole site's 64 KB (Lighthouse's FCP about 0.1 s sooner).
    // SP_NO_MINIFY=1 keeps function names readable in a browser profile (bench investigations).
    build: { assetsInlineLimit: 0, cssCodeSplit: true, minify: process.env.SP_NO_MINIFY ? false : "esbuild" },
    plugins: [
      {
        // No <link rel=modulepreload> for a widget's chunks. Vite's preload helper appends one
        // link per chunk (up to 17 for a widget) in the task that starts the widget's download:
        // 30 to 80 ms in one task on the bench's machine, the longest task of a lesson's start.
        // Without them the browser finds each chunk in the module that imports it: up to four
        // more round trips for the deepest widgets (5 levels of chunks), each short when the lab
        // is served from this machine or the classroom's LAN, and a widget starts loading a
        // screen before it is seen (start-when-visible.ts). Set here because Astro overrides
        // vite.build.modulePreload.
        name: "switching-protocols:no-module-preload",
        configEnvironment(name) {
          if (name === "client") return { build: { modulePreload: false } };
        },
      },
    ],
  },
});
