// ESLint flat config: @eslint/js and typescript-eslint's recommended rules over every TypeScript
// file of the project (`npm run lint`, also run by .ci/run). Type-aware rules are not enabled: they
// load the AWS provider bindings' types and would make linting as slow as `tsc`, which already runs
// in `npm test`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".cache/", "cdktf.out/", "cdktf.out.hcl/", ".gen/", "coverage/", "state/", "jest.config.js", "jest.resolver.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    rules: {
      // Unused code is an error, except for names that start with "_" (placeholders in tuples and callbacks).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // CommonJS launchers run by plain node (scripts/run.cjs): require() is how they load, and Node's globals are there.
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly", console: "readonly", __dirname: "readonly", __filename: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Tests read synthesized Terraform JSON, whose shape is the provider's, not ours: `any` is the honest type there.
    files: ["__tests__/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
