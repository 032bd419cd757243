import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);

// ../core/dist/chunk-file-facts.js
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { createReadStream, readFileSync } from "node:fs";
import { createHash, randomBytes } from "node:crypto";
async function writeFileAtomic(path, data) {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
function sha256(...parts) {
  const hash = createHash("sha256");
  parts.forEach((part, index) => {
    if (index > 0) hash.update("\0");
    hash.update(part);
  });
  return hash.digest("hex");
}
async function sha256File(path) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest("hex");
}
var factsFileName = "file-facts.json";
async function fileIdentity(path) {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return null;
  return {
    size: info.size,
    ino: info.ino,
    mtimeMs: info.mtimeMs,
    ctimeMs: info.ctimeMs
  };
}
var sameFileIdentity = (a, b) => a.size === b.size && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
function readRecords(folder) {
  try {
    const parsed = JSON.parse(readFileSync(join(folder, factsFileName), "utf8"));
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}
async function rememberedFact(path, fact, folder, compute) {
  const before = await fileIdentity(path);
  if (!before) return compute();
  const record = readRecords(folder)[path];
  const known = record && sameFileIdentity(record, before) ? record.facts?.[fact] : void 0;
  if (typeof known === "string") return known;
  const value = await compute();
  const after = await fileIdentity(path);
  if (!after || !sameFileIdentity(before, after)) return value;
  const facts = record && sameFileIdentity(record, after) ? {
    ...record.facts,
    [fact]: value
  } : { [fact]: value };
  const updated = {
    ...readRecords(folder),
    [path]: {
      ...after,
      facts
    }
  };
  await writeFileAtomic(join(folder, factsFileName), Buffer.from(JSON.stringify(updated, null, 1))).catch(() => {
  });
  return value;
}
function rememberedSha256(path, folder) {
  return rememberedFact(path, "sha256", folder, () => sha256File(path));
}

export {
  writeFileAtomic,
  sha256,
  sha256File,
  fileIdentity,
  sameFileIdentity,
  rememberedFact,
  rememberedSha256
};
