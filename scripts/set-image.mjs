#!/usr/bin/env node
/* global process */
/**
 * Records a release in a service chart's values file, keeping its comments:
 *   node scripts/set-image.mjs helm/services/<name>/values-<env>.yaml <tag> <sha256:digest>
 * Used by the service pipelines (.github/workflows/service-build.yml, service-promote.yml).
 * `--from <values file>` copies the image of another values file (promotion).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseDocument } from "yaml";

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Reads `image.tag` and `image.digest` of a values file. */
export function readImage(file) {
  const doc = parseDocument(readFileSync(file, "utf8"));
  return { tag: String(doc.getIn(["image", "tag"]) ?? ""), digest: String(doc.getIn(["image", "digest"]) ?? "") };
}

/** Writes `image.tag` and `image.digest` into a values file; throws on a tag or digest the chart would refuse. */
export function setImage(file, tag, digest) {
  if (!TAG.test(tag) || tag.toLowerCase() === "latest") throw new Error(`tag "${tag}": use the build's immutable tag (letters, digits, _ . -; never latest)`);
  if (!DIGEST.test(digest)) throw new Error(`digest "${digest}": expected sha256:<64 hex>`);
  const doc = parseDocument(readFileSync(file, "utf8"));
  doc.setIn(["image", "tag"], tag);
  doc.setIn(["image", "digest"], digest);
  writeFileSync(file, doc.toString());
}

const [, script, file, ...rest] = process.argv;
if (script && import.meta.url.endsWith(script.split("/").pop())) {
  if (!file) throw new Error("usage: set-image.mjs <values file> (<tag> <digest> | --from <values file>)");
  const source = rest[0] === "--from" ? readImage(rest[1]) : { tag: rest[0], digest: rest[1] };
  setImage(file, source.tag, source.digest);
  process.stdout.write(`${file}: image ${source.tag}@${source.digest}\n`);
}
