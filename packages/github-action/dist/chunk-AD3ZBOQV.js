import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  rememberedFact,
  sha256
} from "./chunk-N5YKAANY.js";
import {
  RembgError
} from "./chunk-XPT3MNYB.js";

// ../core/dist/chunk-session.js
import { createRequire } from "node:module";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { createHash, randomUUID } from "node:crypto";
import { availableParallelism, homedir } from "node:os";
var imglyPackage = "@imgly/background-removal-data";
function imglyDataDir() {
  for (const base of [join(process.cwd(), "noop.js"), import.meta.url]) try {
    return join(dirname(createRequire(base).resolve(`${imglyPackage}/package.json`)), "dist");
  } catch {
  }
  return null;
}
function imglyDataMissing(subject) {
  return new RembgError(`${subject} needs the package ${imglyPackage}, which is not installed. Install it with \`pnpm add -D ${imglyPackage}\` (its weights are licensed AGPL-3.0), or choose another model, e.g. --model isnet-general-use.`, {
    status: 500,
    code: "IMGLY_DATA_MISSING"
  });
}
async function readImglyResource(variant, dataDir) {
  const key = `/models/${variant}`;
  const entry = JSON.parse(await readFile(join(dataDir, "resources.json"), "utf8"))[key];
  if (!entry || !Array.isArray(entry.chunks) || typeof entry.size !== "number") throw corrupt(`${join(dataDir, "resources.json")} has no valid entry '${key}'`);
  return {
    chunks: entry.chunks,
    size: entry.size
  };
}
async function assembleImglyModel(variant, destPath, dataDir = imglyDataDir()) {
  if (dataDir === null) throw imglyDataMissing(`The '${variant}' IS-Net model`);
  const resource = await readImglyResource(variant, dataDir);
  await mkdir(dirname(destPath), { recursive: true });
  const temp = `${destPath}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
  try {
    const written = await writeChunks(resource.chunks, dataDir, temp);
    if (written !== resource.size) throw corrupt(`model '${variant}' assembles to ${written} bytes, resources.json says ${resource.size}`);
    await rename(temp, destPath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
async function writeChunks(chunks, dataDir, temp) {
  const file = await open(temp, "w");
  let written = 0;
  try {
    for (const chunk of chunks) {
      const data = await readChunk(chunk, dataDir);
      await file.write(data);
      written += data.length;
    }
  } finally {
    await file.close();
  }
  return written;
}
async function readChunk(chunk, dataDir) {
  const path = join(dataDir, chunk.hash);
  const data = await readFile(path).catch((error) => {
    throw corrupt(`chunk ${path} cannot be read`, error);
  });
  const expected = chunk.offsets[1] - chunk.offsets[0];
  if (data.length !== expected) throw corrupt(`chunk ${path} has ${data.length} bytes, expected ${expected}`);
  const digest = createHash("sha256").update(data).digest("hex");
  if (digest !== chunk.hash) throw corrupt(`chunk ${path} has sha256 ${digest}`);
  return data;
}
function corrupt(what, cause) {
  return new RembgError(`The installed ${imglyPackage} is damaged: ${what}. Reinstall it (\`pnpm install --force\`).`, {
    status: 500,
    code: "MODEL_CHECKSUM",
    ...cause === void 0 ? {} : { cause }
  });
}
var release = "https://github.com/danielgatis/rembg/releases/download/v0.0.0/";
var imagenetMean = [
  0.485,
  0.456,
  0.406
];
var imagenetStd = [
  0.229,
  0.224,
  0.225
];
var byteScale = 1 / 255;
var u2netInput = {
  width: 320,
  height: 320,
  mean: imagenetMean,
  std: imagenetStd,
  scale: byteScale
};
var isnetInput = {
  width: 1024,
  height: 1024,
  mean: imagenetMean,
  std: [
    1,
    1,
    1
  ],
  scale: byteScale
};
var isnetFastSize = 640;
var birefnetInput = {
  width: 1024,
  height: 1024,
  mean: imagenetMean,
  std: imagenetStd,
  scale: byteScale
};
var imglyInput = {
  width: 1024,
  height: 1024,
  mean: [
    128,
    128,
    128
  ],
  std: [
    256,
    256,
    256
  ],
  scale: 1
};
function rembgSource(name, asset, digest) {
  return {
    kind: "url",
    fileName: `${name}.onnx`,
    url: `${release}${asset}`,
    ...digest
  };
}
function u2net(name, description, md5) {
  return {
    name,
    description,
    license: "Apache-2.0",
    source: rembgSource(name, `${name}.onnx`, { md5 }),
    input: u2netInput,
    output: "minmax"
  };
}
function birefnet(name, description, asset, md5) {
  return {
    name,
    description,
    license: "MIT",
    source: rembgSource(name, asset, { md5 }),
    input: birefnetInput,
    output: "sigmoid"
  };
}
var models = Object.assign(/* @__PURE__ */ Object.create(null), {
  u2net: u2net("u2net", "U\xB2-Net, general use", "60024c5c889badc19c04ad937298a77b"),
  u2netp: u2net("u2netp", "U\xB2-Net, lightweight version (4.7 MB)", "8e83ca70e441ab06c318d82300c84806"),
  u2net_human_seg: u2net("u2net_human_seg", "U\xB2-Net trained for human segmentation", "c09ddc2e0104f800e3e1bb4652583d1f"),
  silueta: u2net("silueta", "U\xB2-Net, pruned to 43 MB", "55e59e0d8062d2f5d013f4725ee84782"),
  "isnet-general-use": {
    name: "isnet-general-use",
    description: "IS-Net (DIS), general use",
    license: "Apache-2.0",
    source: rembgSource("isnet-general-use", "isnet-general-use.onnx", { md5: "fc16ebd8b0c10d971d3513d564d01e29" }),
    input: isnetInput,
    output: "minmax",
    fastInputSize: isnetFastSize
  },
  "isnet-anime": {
    name: "isnet-anime",
    description: "IS-Net trained on anime characters",
    license: "Apache-2.0",
    source: rembgSource("isnet-anime", "isnet-anime.onnx", { md5: "6f184e756bb3bd901c8849220a83e38e" }),
    input: isnetInput,
    output: "minmax",
    fastInputSize: isnetFastSize
  },
  "birefnet-general": birefnet("birefnet-general", "BiRefNet, general use", "BiRefNet-general-epoch_244.onnx", "7a35a0141cbbc80de11d9c9a28f52697"),
  "birefnet-general-lite": birefnet("birefnet-general-lite", "BiRefNet, general use, Swin-T backbone (lighter)", "BiRefNet-general-bb_swin_v1_tiny-epoch_232.onnx", "4fab47adc4ff364be1713e97b7e66334"),
  "birefnet-portrait": birefnet("birefnet-portrait", "BiRefNet trained for portraits", "BiRefNet-portrait-epoch_150.onnx", "c3a64a6abf20250d090cd055f12a3b67"),
  "birefnet-dis": birefnet("birefnet-dis", "BiRefNet trained on DIS5K (dichotomous image segmentation)", "BiRefNet-DIS-epoch_590.onnx", "2d4d44102b446f33a4ebb2e56c051f2b"),
  "birefnet-hrsod": birefnet("birefnet-hrsod", "BiRefNet trained for high-resolution salient object detection", "BiRefNet-HRSOD_DHU-epoch_115.onnx", "c017ade5de8a50ff0fd74d790d268dda"),
  "birefnet-cod": birefnet("birefnet-cod", "BiRefNet trained for camouflaged object detection", "BiRefNet-COD-epoch_125.onnx", "f6d0d21ca89d287f17e7afe9f5fd3b45"),
  "birefnet-massive": birefnet("birefnet-massive", "BiRefNet trained on a massive dataset", "BiRefNet-massive-TR_DIS5K_TR_TEs-epoch_420.onnx", "33e726a2136a3d59eb0fdf613e31e3e9"),
  "bria-rmbg": {
    name: "bria-rmbg",
    description: "BRIA RMBG 2.0 (non-commercial use only)",
    license: "CC-BY-NC-4.0",
    nonCommercial: true,
    source: rembgSource("bria-rmbg", "bria-rmbg-2.0.onnx", { sha256: "5b486f08200f513f460da46dd701db5fbb47d79b4be4b708a19444bcd4e79958" }),
    input: birefnetInput,
    output: "minmax"
  },
  "isnet-imgly": {
    name: "isnet-imgly",
    description: "IS-Net weights of @imgly/background-removal-data (fp16), no download",
    license: "AGPL-3.0",
    source: {
      kind: "imgly",
      variant: "medium"
    },
    input: imglyInput,
    output: "clamp",
    fastInputSize: isnetFastSize
  },
  "isnet-imgly-quint8": {
    name: "isnet-imgly-quint8",
    description: "IS-Net weights of @imgly/background-removal-data (quantised, smaller), no download",
    license: "AGPL-3.0",
    source: {
      kind: "imgly",
      variant: "small"
    },
    input: imglyInput,
    output: "clamp"
  }
});
var defaultModel = "isnet-general-use";
var modelNames = Object.keys(models);
function customModelSpec(path, input, output) {
  return {
    name: path,
    description: `Custom model ${path}`,
    license: "unknown",
    source: {
      kind: "file",
      path
    },
    input: {
      width: input?.width ?? 1024,
      height: input?.height ?? 1024,
      mean: input?.mean ?? [...imagenetMean],
      std: input?.std ?? [...imagenetStd],
      scale: input?.scale ?? byteScale
    },
    output: output ?? "minmax"
  };
}
function presetInput(spec, preset) {
  if (preset === "quality") return spec.input;
  const size = spec.fastInputSize;
  return size === void 0 ? null : {
    ...spec.input,
    width: size,
    height: size
  };
}
function modelPresets(spec) {
  return spec.fastInputSize === void 0 ? ["quality"] : ["quality", "fast"];
}
var SharedWork = class {
  running = /* @__PURE__ */ new Map();
  constructor(options = {}) {
    this.options = options;
  }
  run(key, signal, task) {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const current = this.running.get(key);
    const entry = current && !current.controller.signal.aborted ? current : this.start(key, task);
    entry.waiting++;
    if (!signal) return entry.promise;
    return new Promise((resolve2, reject) => {
      const giveUp = () => {
        const last = --entry.waiting === 0;
        if (last) entry.controller.abort(signal.reason);
        if (!last || !this.options.lastCallerAwaitsCancel) return reject(signal.reason);
        const answer = () => reject(signal.reason);
        entry.promise.then(answer, answer);
      };
      signal.addEventListener("abort", giveUp, { once: true });
      entry.promise.then(resolve2, reject).finally(() => signal.removeEventListener("abort", giveUp));
    });
  }
  start(key, task) {
    const controller = new AbortController();
    const promise = Promise.resolve().then(() => {
      controller.signal.throwIfAborted();
      return task(controller.signal);
    }).finally(() => {
      if (this.running.get(key)?.promise === promise) this.running.delete(key);
    });
    promise.catch(() => {
    });
    const entry = {
      promise,
      controller,
      waiting: 0
    };
    this.running.set(key, entry);
    return entry;
  }
};
function modelDirs(env = process.env) {
  return {
    home: env.REMBG_KIT_HOME ? join(expandHome(env.REMBG_KIT_HOME), "models") : join(homedir(), ".cache", "rembg-kit", "models"),
    reuse: [env.U2NET_HOME ? expandHome(env.U2NET_HOME) : join(expandHome(env.XDG_DATA_HOME || "~"), ".u2net")]
  };
}
function expandHome(path) {
  if (path === "~") return homedir();
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(homedir(), path.slice(2));
  return path;
}
function localFileName(spec) {
  if (spec.source.kind === "url") return spec.source.fileName;
  if (spec.source.kind === "file") return basename(spec.source.path);
  return `${spec.name}.onnx`;
}
async function fileSize(path) {
  const info = await stat(path).catch(() => null);
  return info?.isFile() ? info.size : null;
}
var redrawIntervalMs = 100;
var barWidth = 20;
var silent = {
  active: false,
  update() {
  },
  tick() {
  },
  done() {
  }
};
function createProgress(options) {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY !== true || isCi(process.env.CI)) return silent;
  const now = options.now ?? Date.now;
  const state = {
    done: 0,
    total: options.total,
    message: "",
    start: now(),
    lastDraw: Number.NEGATIVE_INFINITY
  };
  let finished = false;
  const draw = (force) => {
    const time = now();
    if (!force && time - state.lastDraw < redrawIntervalMs) return;
    state.lastDraw = time;
    const line = renderLine(options.label, state.done, state.total, options.unit ?? "items", time - state.start);
    const text = state.message === "" ? line : `${line} ${state.message}`;
    stream.write(`\r${fit(text, stream.columns)}\x1B[K`);
  };
  return {
    active: true,
    update(done, total) {
      if (finished) return;
      state.done = done;
      if (total !== void 0) state.total = total;
      draw(false);
    },
    tick(message) {
      if (finished) return;
      state.done += 1;
      if (message !== void 0) state.message = message;
      draw(false);
    },
    done(message) {
      if (finished) return;
      finished = true;
      if (message !== void 0) state.message = message;
      draw(true);
      stream.write("\n");
    }
  };
}
function isCi(value) {
  return value !== void 0 && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}
function renderLine(label, done, total, unit, elapsedMs) {
  const amount = (n) => unit === "bytes" ? formatBytes(n) : String(n);
  const rate = elapsedMs > 0 ? done * 1e3 / elapsedMs : void 0;
  const rateText = rate === void 0 ? "" : unit === "bytes" ? ` ${formatBytes(rate)}/s` : ` ${rate.toFixed(1)}/s`;
  if (total === void 0 || total <= 0) return `${label} ${amount(done)}${rateText}`;
  const ratio = Math.min(1, Math.max(0, done / total));
  const filled = Math.round(ratio * barWidth);
  return `${label} ${`[${"#".repeat(filled)}${".".repeat(barWidth - filled)}]`} ${Math.floor(ratio * 100)}% ${amount(done)}/${amount(total)}${rateText}`;
}
function formatBytes(bytes) {
  if (bytes < 1e3) return `${Math.round(bytes)} B`;
  const units = [
    "kB",
    "MB",
    "GB",
    "TB"
  ];
  let value = bytes / 1e3;
  let index = 0;
  while (value >= 1e3 && index < units.length - 1) {
    value /= 1e3;
    index += 1;
  }
  return `${value.toFixed(1)} ${units[index]}`;
}
function fit(text, columns) {
  if (columns === void 0 || columns <= 1 || text.length < columns) return text;
  return text.slice(0, columns - 1);
}
function checksumMismatch(spec, url, expected, got) {
  return new RembgError(`Model '${spec.name}' downloaded from ${url} failed verification: expected ${expected}, got ${got}. Nothing was saved; an error page from a proxy or server is the usual cause.`, {
    status: 502,
    code: "MODEL_CHECKSUM"
  });
}
function expectedDigests(source) {
  const digests = [];
  if (source.md5) digests.push({
    algorithm: "md5",
    hex: source.md5.toLowerCase()
  });
  if (source.sha256) digests.push({
    algorithm: "sha256",
    hex: source.sha256.toLowerCase()
  });
  return digests;
}
function mismatch(source, measured) {
  if (source.size !== void 0 && source.size !== measured.size) return [`${source.size} bytes`, `${measured.size} bytes`];
  for (const { algorithm, hex } of expectedDigests(source)) {
    const got = measured.digests[algorithm] ?? "";
    if (got !== hex) return [`${algorithm} ${hex}`, got];
  }
  if (/^\s*</.test(measured.head.toString("latin1"))) return ["an ONNX model", "an HTML/XML page"];
  return null;
}
function createMeter(source) {
  const hashes = new Map(expectedDigests(source).map(({ algorithm }) => [algorithm, createHash(algorithm)]));
  let size = 0;
  let head = Buffer.alloc(0);
  return {
    add(chunk) {
      if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64)]);
      for (const hash of hashes.values()) hash.update(chunk);
      size += chunk.length;
    },
    result: () => ({
      size,
      head,
      digests: Object.fromEntries([...hashes].map(([name, h]) => [name, h.digest("hex")]))
    })
  };
}
async function measureFile(path, source) {
  const meter = createMeter(source);
  for await (const chunk of createReadStream(path)) meter.add(chunk);
  return meter.result();
}
async function isVerified(path, source, factsFolder) {
  const size = await fileSize(path);
  if (size === null || source.size !== void 0 && size !== source.size) return false;
  return await rememberedFact(path, `verified ${sha256(JSON.stringify([
    source.size,
    source.md5,
    source.sha256
  ]))}`, factsFolder, async () => mismatch(source, await measureFile(path, source)) === null ? "yes" : "no") === "yes";
}
function downloadFailed(spec, url, reason, env) {
  const fileName = localFileName(spec);
  return new RembgError([
    `Could not download model '${spec.name}' from ${url} (${reason}). Fix it in one of these ways:`,
    `- set REMBG_KIT_MODEL_MIRROR to a base URL that serves ${basename(new URL(url).pathname)}`,
    `- put the file at ${join(modelDirs(env).home, fileName)}`,
    "- pass a local model file: --model ./path/to/model.onnx",
    `- run \`rembg-kit models pull ${spec.name}\` where the network is reachable`
  ].join("\n"), {
    status: 502,
    code: "MODEL_DOWNLOAD_FAILED"
  });
}
function describeNetworkError(error) {
  const cause = error instanceof Error ? error.cause : void 0;
  if (cause && typeof cause.code === "string") return cause.code;
  if (cause && typeof cause.message === "string" && cause.message !== "") return cause.message;
  return error instanceof Error ? error.message : String(error);
}
function downloadUrl(source, options, env) {
  const mirror = options.mirror ?? env.REMBG_KIT_MODEL_MIRROR;
  if (!mirror) return source.url;
  return `${mirror.replace(/\/+$/, "")}/${basename(new URL(source.url).pathname)}`;
}
async function download(context) {
  await mkdir(dirname(context.dest), { recursive: true });
  const temp = `${context.dest}.${process.pid}-${randomUUID().slice(0, 8)}.download`;
  try {
    const measured = await fetchToFile(context, temp);
    const problem = mismatch(context.source, measured);
    if (problem) throw checksumMismatch(context.spec, context.url, ...problem);
    await rename(temp, context.dest);
    return context.dest;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
async function fetchToFile(context, temp) {
  const { spec, url, env, signal } = context;
  const fail = (error) => {
    if (signal.aborted) throw signal.reason;
    if (error instanceof Error && "syscall" in error && "path" in error) throw error;
    throw downloadFailed(spec, url, describeNetworkError(error), env);
  };
  const response = await (context.options.fetch ?? fetch)(url, { signal }).catch(fail);
  if (!response.ok || !response.body) throw downloadFailed(spec, url, `HTTP ${response.status} ${response.statusText}`.trim(), env);
  const length = response.headers.has("content-encoding") ? 0 : Number(response.headers.get("content-length"));
  const total = Number.isFinite(length) && length > 0 ? length : context.source.size;
  const measured = await writeBody(response.body, temp, context, total).catch(fail);
  if (length > 0 && measured.size !== length) throw downloadFailed(spec, url, `connection closed after ${measured.size} of ${length} bytes`, env);
  return measured;
}
async function writeBody(body, temp, context, total) {
  const bar = context.options.onProgress ? void 0 : createProgress({
    label: `Downloading ${context.spec.name}`,
    total,
    unit: "bytes"
  });
  const report = context.options.onProgress ?? ((received2) => bar?.update(received2));
  const meter = createMeter(context.source);
  const file = await open(temp, "w");
  let received = 0;
  try {
    for await (const chunk of body) {
      meter.add(chunk);
      await file.write(chunk);
      received += chunk.length;
      report(received, total);
    }
  } finally {
    await file.close();
    bar?.done();
  }
  return meter.result();
}
function fileMissing(path) {
  return new RembgError(`Model file '${path}' does not exist.`, {
    status: 400,
    code: "MODEL_NOT_FOUND",
    field: "model"
  });
}
async function ensureUrlModel(spec, source, options, signal) {
  const env = options.env ?? process.env;
  const dirs = modelDirs(env);
  for (const folder of [dirs.home, ...dirs.reuse]) {
    const path = join(folder, source.fileName);
    if (await isVerified(path, source, dirs.home)) return path;
  }
  return download({
    spec,
    source,
    url: downloadUrl(source, options, env),
    dest: join(dirs.home, source.fileName),
    env,
    options,
    signal
  });
}
async function ensureImglyModel(spec, source, env) {
  const dest = join(modelDirs(env).home, localFileName(spec));
  const dataDir = imglyDataDir();
  const size = await fileSize(dest);
  if (size !== null && (dataDir === null || size === (await readImglyResource(source.variant, dataDir)).size)) return dest;
  if (dataDir === null) throw imglyDataMissing(`Model '${spec.name}'`);
  await assembleImglyModel(source.variant, dest, dataDir);
  return dest;
}
async function locate(spec, options, signal) {
  const source = spec.source;
  if (source.kind === "url") return ensureUrlModel(spec, source, options, signal);
  if (source.kind === "imgly") return ensureImglyModel(spec, source, options.env ?? process.env);
  const path = resolve(source.path);
  if (await fileSize(path) === null) throw fileMissing(source.path);
  return path;
}
var ModelStore = class {
  #jobs = new SharedWork({ lastCallerAwaitsCancel: true });
  /** Models verified by this process, by job key: trusted while their file is there. */
  #verified = /* @__PURE__ */ new Map();
  /**
  * Returns the path of a verified local copy of the model, downloading or assembling it first when needed.
  *
  * @example
  * const store = new ModelStore()
  * const path = await store.ensure(models['isnet-general-use'])
  */
  async ensure(spec, options = {}) {
    const key = jobKey(spec, options.env ?? process.env);
    const known = this.#verified.get(key);
    if (known !== void 0 && await fileSize(known) !== null) return known;
    const path = await this.#jobs.run(key, options.signal, (signal) => locate(spec, options, signal));
    this.#verified.set(key, path);
    return path;
  }
};
function jobKey(spec, env) {
  const dirs = modelDirs(env);
  return JSON.stringify([
    spec.name,
    spec.source,
    dirs.home,
    dirs.reuse
  ]);
}
var modelStore = new ModelStore();
function ensureModel(spec, options) {
  return modelStore.ensure(spec, options);
}
var localRequire = createRequire(import.meta.url);
var runtime;
var runtimePackage = "onnxruntime-node@1.30.0";
function loadRuntime() {
  if (!runtime) try {
    runtime = localRequire("onnxruntime-node");
  } catch (error) {
    throw isRuntimeMissing(error) ? runtimeNotInstalled(error) : error;
  }
  return runtime;
}
function checkRuntimeInstalled() {
  if (runtime) return;
  try {
    localRequire.resolve("onnxruntime-node");
  } catch (error) {
    throw isRuntimeMissing(error) ? runtimeNotInstalled(error) : error;
  }
}
function runtimeNotInstalled(cause) {
  return new RembgError(`The local engine needs onnxruntime-node, which is not installed. Install it: npm install ${runtimePackage} (pnpm add ${runtimePackage}, yarn add ${runtimePackage}), or choose engine 'remote'.`, {
    status: 500,
    code: "RUNTIME_NOT_INSTALLED",
    field: "engine",
    ...cause === void 0 ? {} : { cause }
  });
}
function isRuntimeMissing(error) {
  return error instanceof Error && error.code === "MODULE_NOT_FOUND" && error.message.startsWith("Cannot find module 'onnxruntime-node'");
}
function defaultThreads(share = 1) {
  const cores = Math.min(availableParallelism(), cgroupCpuLimit() ?? Number.POSITIVE_INFINITY);
  return Math.max(1, Math.floor(cores / Math.max(1, share)));
}
function cgroupCpuLimit(read = (path) => readFileSync(path, "utf8")) {
  const quota = (text, period) => {
    const [q, p] = [Number(text), Number(period)];
    return q > 0 && p > 0 ? Math.max(1, Math.ceil(q / p)) : void 0;
  };
  try {
    const [max, period] = read("/sys/fs/cgroup/cpu.max").trim().split(/\s+/);
    return quota(max ?? "", period ?? "");
  } catch {
    try {
      return quota(read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), read("/sys/fs/cgroup/cpu/cpu.cfs_period_us"));
    } catch {
      return;
    }
  }
}
function availableProviders() {
  const backends = loadRuntime().listSupportedBackends();
  const binaryDir = runtimeBinaryDir();
  return backends.filter((backend) => backend.bundled || existsSync(join(binaryDir, providerLibrary(backend.name)))).map((backend) => backend.name);
}
function runtimeBinaryDir() {
  return join(dirname(localRequire.resolve("onnxruntime-node")), "..", "bin", "napi-v6", process.platform, process.arch);
}
function runtimeVersion() {
  return loadRuntime().env.versions.node ?? "unknown";
}
function providerLibrary(name) {
  if (process.platform === "win32") return `onnxruntime_providers_${name}.dll`;
  return `libonnxruntime_providers_${name}.${process.platform === "darwin" ? "dylib" : "so"}`;
}
function providerFallbackMessage(provider, failed = false) {
  return `rembg-kit: execution provider '${provider}' ${failed ? "failed to start" : "is not available"}, using 'cpu'`;
}
function runtimeDescription() {
  return `onnxruntime-node ${runtimeVersion()} on ${process.platform}-${process.arch}`;
}
function providerUnavailable(provider, available) {
  return new RembgError(`Execution provider '${provider}' is not available in ${runtimeDescription()}. Available: ${available.join(", ")}.`, {
    status: 500,
    code: "PROVIDER_UNAVAILABLE",
    field: "provider"
  });
}
function providerFailed(provider, cause) {
  const reason = (cause instanceof Error ? cause.message : String(cause)).split("\n")[0]?.trim();
  return new RembgError(`Execution provider '${provider}' failed to start in ${runtimeDescription()}: ${reason}`, {
    status: 500,
    code: "PROVIDER_UNAVAILABLE",
    field: "provider",
    cause
  });
}
var warned = /* @__PURE__ */ new Set();
function logLine(options, line) {
  if (options.log) options.log(line);
  else process.stderr.write(`${line}
`);
}
function warnOnce(options, provider, failed) {
  const message = providerFallbackMessage(provider, failed);
  if (warned.has(message)) return;
  warned.add(message);
  logLine(options, message);
}
function chooseProvider(options) {
  const wanted = options.provider ?? "cpu";
  if (wanted === "cpu") return wanted;
  const available = availableProviders();
  if (available.includes(wanted)) return wanted;
  if (options.requireProvider) throw providerUnavailable(wanted, available);
  warnOnce(options, wanted, false);
  return "cpu";
}
function sessionOptions(threads) {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
    enableMemPattern: false,
    enableCpuMemArena: true
  };
}
async function createSession(modelPath, options, savedFormDir) {
  const provider = chooseProvider(options);
  const settings = sessionOptions(options.threads ?? defaultThreads());
  const { InferenceSession } = loadRuntime();
  const create = (path, sessionSettings) => InferenceSession.create(path, sessionSettings);
  const openCpu = async () => {
    if (savedFormDir === void 0) return {
      session: await create(modelPath, settings),
      form: "unsaved"
    };
    const warn = (message) => logLine(options, `rembg-kit: ${message}`);
    const context = {
      dir: savedFormDir,
      runtime: runtimeVersion(),
      create,
      warn
    };
    const { openWithSavedForm } = await import("./chunk-saved-form-CLHYLERT.js").then((n) => n.r);
    return openWithSavedForm(modelPath, settings, context);
  };
  if (provider === "cpu") return {
    ...await openCpu(),
    provider
  };
  try {
    return {
      session: await create(modelPath, {
        ...settings,
        executionProviders: [provider]
      }),
      provider,
      form: "unsaved"
    };
  } catch (error) {
    if (options.requireProvider) throw providerFailed(provider, error);
    warnOnce(options, provider, true);
    return {
      ...await openCpu(),
      provider: "cpu"
    };
  }
}

export {
  imglyDataDir,
  readImglyResource,
  models,
  defaultModel,
  customModelSpec,
  presetInput,
  modelPresets,
  SharedWork,
  modelDirs,
  ensureModel,
  loadRuntime,
  checkRuntimeInstalled,
  defaultThreads,
  logLine,
  createSession
};
