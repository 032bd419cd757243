import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  fileIdentity,
  rememberedSha256,
  sameFileIdentity,
  sha256,
  writeFileAtomic
} from "./chunk-N5YKAANY.js";
import {
  __exportAll
} from "./chunk-CZNT7TPM.js";
import "./chunk-NV5WPINZ.js";

// ../core/dist/chunk-saved-form.js
import { mkdir, readFile, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
var saved_form_exports = /* @__PURE__ */ __exportAll({
  cpuIdentity: () => cpuIdentity,
  describeSavedForm: () => describeSavedForm,
  inspectSavedForm: () => inspectSavedForm,
  listSavedForms: () => listSavedForms,
  openWithSavedForm: () => openWithSavedForm,
  savedFormKey: () => savedFormKey,
  savedFormPaths: () => savedFormPaths
});
var savedFormFormat = 2;
function cpuIdentity(read = (path) => readFileSync(path, "utf8")) {
  try {
    const info = read("/proc/cpuinfo");
    const field = (name) => info.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, "m"))?.[1]?.trim() ?? "";
    const flags = field("flags") || field("Features");
    return `${field("model name") || field("CPU part") || cpus()[0]?.model || "unknown"}, flags ${sha256(flags).slice(0, 12)}`;
  } catch {
    return cpus()[0]?.model ?? "unknown";
  }
}
async function savedFormKey(modelPath, runtime, factsFolder) {
  return {
    format: savedFormFormat,
    runtime,
    platform: process.platform,
    arch: process.arch,
    cpu: cpuIdentity(),
    source: await rememberedSha256(modelPath, factsFolder)
  };
}
function savedFormPaths(dir, modelPath) {
  const name = `${basename(modelPath, extname(modelPath))}.${sha256(modelPath).slice(0, 8)}.ort`;
  return {
    model: join(dir, `${name}.onnx`),
    record: join(dir, `${name}.json`)
  };
}
async function readRecord(path) {
  try {
    const record = JSON.parse(await readFile(path, "utf8"));
    return record && typeof record.key === "object" && typeof record.file === "object" && typeof record.model === "string" && (record.key.format !== savedFormFormat || typeof record.weights?.name === "string" && typeof record.weights.file === "object") ? record : null;
  } catch {
    return null;
  }
}
async function inspectSavedForm(dir, modelPath, key) {
  const paths = savedFormPaths(dir, modelPath);
  const [record, file] = await Promise.all([readRecord(paths.record), fileIdentity(paths.model)]);
  if (!record && !file) return { state: "none" };
  if (!record) return {
    state: "changed",
    reason: "its record is missing or unreadable"
  };
  if (!file) return {
    state: "changed",
    reason: "the file is missing"
  };
  const differs = Object.keys(key).filter((name) => record.key[name] !== key[name]);
  if (differs.length > 0) return {
    state: "stale",
    record,
    differs
  };
  if (!sameFileIdentity(record.file, file)) return {
    state: "changed",
    reason: "the file changed after it was saved"
  };
  const weights = await fileIdentity(join(dir, basename(record.weights.name)));
  if (!weights) return {
    state: "changed",
    reason: `its weights file ${record.weights.name} is missing`
  };
  if (!sameFileIdentity(record.weights.file, weights)) return {
    state: "changed",
    reason: `its weights file ${record.weights.name} changed after it was saved`
  };
  return {
    state: "current",
    record
  };
}
async function openWithSavedForm(modelPath, settings, context) {
  const { dir, create, warn } = context;
  const paths = savedFormPaths(dir, modelPath);
  const key = await savedFormKey(modelPath, context.runtime, dir);
  const found = await inspectSavedForm(dir, modelPath, key);
  if (found.state === "current") try {
    return {
      session: await create(paths.model, {
        ...settings,
        graphOptimizationLevel: "disabled"
      }),
      form: "saved"
    };
  } catch (error) {
    warn(`the saved session form ${paths.model} failed to load (${firstLine(error)}); rebuilding it`);
  }
  else if (found.state === "changed") warn(`the saved session form ${paths.model} cannot be used (${found.reason}); rebuilding it`);
  await removeSavedForm(dir, paths);
  return buildSavedForm(modelPath, settings, {
    ...context,
    key,
    paths
  });
}
async function removeSavedForm(dir, paths) {
  const weights = (await readRecord(paths.record))?.weights?.name;
  await Promise.all([
    rm(paths.model, { force: true }),
    rm(paths.record, { force: true }),
    weights === void 0 ? void 0 : rm(join(dir, basename(weights)), { force: true }).catch(() => {
    })
  ]);
}
async function buildSavedForm(modelPath, settings, context) {
  const { create, key, paths } = context;
  const build = `${process.pid}.${Date.now().toString(36)}`;
  const temp = `${paths.model}.${build}.tmp`;
  const weightsName = `${basename(paths.model, ".onnx")}.${build}.weights`;
  const removeTemp = () => Promise.all([rm(temp, { force: true }), rm(join(dirname(temp), weightsName), { force: true }).catch(() => {
  })]);
  let session;
  try {
    await mkdir(context.dir, { recursive: true });
    session = await create(modelPath, {
      ...settings,
      optimizedModelFilePath: temp,
      logSeverityLevel: 3,
      extra: { session: {
        optimized_model_external_initializers_file_name: weightsName,
        optimized_model_external_initializers_min_size_in_bytes: String(externalWeightsMinBytes)
      } }
    });
  } catch (error) {
    await removeTemp();
    const session2 = await create(modelPath, settings);
    context.warn(notSaved(context.dir, error));
    return {
      session: session2,
      form: "unsaved"
    };
  }
  try {
    const weights = await fileIdentity(join(context.dir, weightsName));
    if (!weights) throw new Error(`the runtime wrote no weights file ${weightsName}`);
    await rename(temp, paths.model);
    const file = await fileIdentity(paths.model);
    if (file) {
      const record = {
        key,
        file,
        weights: {
          name: weightsName,
          file: weights
        },
        model: modelPath
      };
      await writeFileAtomic(paths.record, Buffer.from(`${JSON.stringify(record, null, 2)}
`));
    }
    return {
      session,
      form: "built"
    };
  } catch (error) {
    await removeTemp();
    context.warn(notSaved(context.dir, error));
    return {
      session,
      form: "unsaved"
    };
  }
}
var externalWeightsMinBytes = 1024;
var notSaved = (dir, error) => `could not save the session form in ${dir} (${firstLine(error)}); the next runs will optimise the model again`;
function firstLine(error) {
  return ((error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "").trim();
}
async function describeSavedForm(form, dir, runtime) {
  const { record } = form;
  if (!record) return "no record: rebuilt on next use";
  if (!await fileIdentity(record.model)) return `its model ${record.model} is gone: unused`;
  const found = await inspectSavedForm(dir, record.model, await savedFormKey(record.model, runtime, dir));
  if (found.state === "current") return "matches this machine";
  if (found.state === "stale") return `made for another ${found.differs.join(", ")}: rebuilt on next use`;
  if (found.state === "changed") return `${found.reason}: rebuilt on next use`;
  return "missing";
}
async function listSavedForms(dir) {
  const forms = (await readdir(dir).catch(() => [])).filter((entry) => entry.endsWith(".ort.onnx")).sort();
  return Promise.all(forms.map(async (entry) => {
    const path = join(dir, entry);
    const record = await readRecord(path.replace(/\.onnx$/, ".json"));
    const weights = record?.weights ? await fileIdentity(join(dir, basename(record.weights.name))) : null;
    return {
      path,
      size: ((await fileIdentity(path))?.size ?? 0) + (weights?.size ?? 0),
      record
    };
  }));
}
export {
  listSavedForms as n,
  saved_form_exports as r,
  describeSavedForm as t
};
