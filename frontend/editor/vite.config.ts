/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { type Plugin, defineConfig } from "vite";

// The editor is served by Cairn at "/" (plugin cairn.plugins.editor); its assets go
// under /editor-assets/ so that they never collide with Cairn's own routes.
// `npm run dev` proxies GraphQL to a Cairn on :8000 (CAIRN_URL to change it).
const cairn = process.env.CAIRN_URL ?? "http://127.0.0.1:8000";

/** What the build is made from; tests/editor checks the committed dist/ matches the sources. */
export const BUILD_INPUTS = ["src", "public", "index.html", "package-lock.json", "tsconfig.json", "vite.config.ts"];

function files(root: string, path: string): string[] {
  const full = join(root, path);
  if (statSync(full).isFile()) return [path];
  return readdirSync(full).flatMap((name) => files(root, join(path, name)));
}

/** sha256 over every input file: its relative path, a newline, its bytes, a newline (sorted by path). */
export function sourceHash(root: string): string {
  const hash = createHash("sha256");
  const all = BUILD_INPUTS.flatMap((input) => files(root, input)).map((p) => relative(root, join(root, p))
    .split(sep).join("/")).sort();
  for (const path of all) {
    hash.update(`${path}\n`);
    hash.update(readFileSync(join(root, path)));
    hash.update("\n");
  }
  return hash.digest("hex");
}

function buildInfo(): Plugin {
  return {
    name: "cairn-build-info",
    apply: "build",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "build-info.json",
        source: `${JSON.stringify({ sources: sourceHash(process.cwd()) }, null, 2)}\n` });
    },
  };
}

export default defineConfig({
  plugins: [react(), buildInfo()],
  base: "/",
  build: {
    outDir: "dist",
    assetsDir: "editor-assets",
    emptyOutDir: true,
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { "/graphql": cairn } },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["tests/setup.ts"],
    include: ["tests/**/*.test.{ts,tsx}"],
    css: false,
  },
});
