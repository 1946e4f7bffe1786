import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  clearScreen: false,
  build: {
    target: "es2022",
    // Everything is served from the app bundle: no inline scripts, no remote content.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  // Component tests mount Svelte's browser build.
  resolve: mode === "test" ? { conditions: ["browser"] } : undefined,
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
}));
