import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { inflateRawSync } from "zlib";
import { crc32, zipFolder } from "../modules/shared/zip";

describe("zipFolder (modules/shared/zip)", () => {
  const dir = mkdtempSync(join(tmpdir(), "aivo-zip-"));
  mkdirSync(join(dir, "nodejs", "node_modules"), { recursive: true });
  writeFileSync(join(dir, "nodejs", "node_modules", "b.js"), "exports.handler = async () => 'b';\n".repeat(20));
  writeFileSync(join(dir, "a.txt"), "first\n");

  it("computes the zip format's CRC-32 (the standard check value)", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
  });

  it("writes every file, sorted, deflated, readable back byte for byte", () => {
    const zip = zipFolder(dir);
    const entries: { name: string; data: Buffer }[] = [];
    let at = 0;
    while (zip.readUInt32LE(at) === 0x04034b50) {
      const size = zip.readUInt32LE(at + 18);
      const nameLength = zip.readUInt16LE(at + 26);
      const name = zip.subarray(at + 30, at + 30 + nameLength).toString("utf8");
      const data = inflateRawSync(zip.subarray(at + 30 + nameLength, at + 30 + nameLength + size));
      expect(crc32(data)).toBe(zip.readUInt32LE(at + 14));
      entries.push({ name, data });
      at += 30 + nameLength + size;
    }
    expect(entries.map((e) => e.name)).toEqual(["a.txt", "nodejs/node_modules/b.js"]);
    expect(entries[1].data.toString()).toBe("exports.handler = async () => 'b';\n".repeat(20));
    // The central directory follows, and the end record counts both entries.
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    expect(zip.readUInt16LE(zip.length - 22 + 10)).toBe(2);
  });

  it("gives the same bytes for the same files (a stable asset hash)", () => {
    expect(zipFolder(dir).equals(zipFolder(dir))).toBe(true);
  });
});
