// ESLint for the map page's own scripts (geomap/render/static), which run as classic browser scripts sharing
// the `geomapPage` namespace, after Leaflet and its plugins. Run: npm ci && npx eslint
"use strict";
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  {
    files: ["geomap/render/static/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: {...globals.browser, L: "readonly"},
    },
    rules: {
      ...js.configs.recommended.rules,
      "no-unused-vars": ["error", {args: "none"}],
      "no-implicit-globals": "error",
      "no-var": "off",
      eqeqeq: ["error", "smart"],
      strict: ["error", "function"],
      "no-shadow": "error",
      "no-use-before-define": ["error", {functions: false}],
      "max-len": ["error", {code: 120}],
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: {sourceType: "commonjs", globals: globals.node},
  },
];
