import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);

// ../core/dist/chunk-sharp.js
import { createRequire } from "node:module";
var outputFormats = [
  "webp",
  "png",
  "jpeg",
  "bmp"
];
var inputFormats = [
  "png",
  "jpeg",
  "webp",
  "bmp"
];
var inputExtensions = [
  "webp",
  "bmp",
  "png",
  "jpg",
  "jpeg"
];
var engineNames = ["local", "remote"];
var presetNames = ["quality", "fast"];
var trueWords = ["true", "1"];
var falseWords = ["false", "0"];
var apiParameterNames = [
  "format",
  "w",
  "h",
  "exact_resize",
  "mask",
  "bg_color",
  "angle",
  "expand"
];
var cropParameterNames = [
  "crop",
  "crop_threshold",
  "crop_margin"
];
var parameterNames = [...apiParameterNames, ...cropParameterNames];
var limits = {
  /** Largest accepted input file, in bytes (50 MB). */
  maxFileBytes: 50 * 1024 * 1024,
  /** Largest accepted input side, in pixels. */
  maxSide: 1e4,
  /** Largest w or h. */
  maxResize: 1e4,
  /** Largest absolute angle, in degrees. */
  maxAngle: 360,
  /** Largest crop_threshold (matte values are 0..255). */
  maxCropThreshold: 255,
  /** Largest crop margin a side, in pixels (remove.bg's limit). */
  maxCropMarginPx: 500,
  /** Largest crop margin a side, in percent of the subject's size (remove.bg's limit). */
  maxCropMarginPercent: 50
};
var mimeTypes = {
  webp: "image/webp",
  png: "image/png",
  jpeg: "image/jpeg",
  bmp: "image/bmp"
};
var fileExtensions = {
  webp: "webp",
  png: "png",
  jpeg: "jpg",
  bmp: "bmp"
};
var RembgError = class extends Error {
  name = "RembgError";
  status;
  code;
  field;
  details;
  file;
  constructor(message, init) {
    super(message, init.cause === void 0 ? void 0 : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.field = init.field;
    this.details = init.details;
    this.file = init.file;
  }
  /** The API's JSON error body: `{ error, details?, status }`. */
  toJSON() {
    return this.details ? {
      error: this.message,
      details: this.details,
      status: this.status
    } : {
      error: this.message,
      status: this.status
    };
  }
};
function isRembgError(error) {
  return error instanceof RembgError || error instanceof Error && error.name === "RembgError" && "code" in error && "status" in error;
}
function describeError(error) {
  if (!isRembgError(error)) return error instanceof Error ? error.message : String(error);
  return error.message + (error.details ?? []).map((d) => `
  ${d.field}: ${d.message}`).join("");
}
function withFile(error, file) {
  if (file !== void 0 && isRembgError(error) && error.file === void 0) error.file = file;
  return error;
}
function formatValue(value) {
  if (typeof value === "string") return `'${value}'`;
  if (typeof value === "number") return formatFloat(value);
  return String(value);
}
function formatFloat(value) {
  return Number.isInteger(value) && Math.abs(value) < 1e16 ? value.toFixed(1) : String(value);
}
var badRequest = (message, code, field) => new RembgError(message, {
  status: 400,
  code,
  ...field === void 0 ? {} : { field }
});
var noImageProvided = () => badRequest("No image file provided. Please include an 'image' field in your form data.", "NO_IMAGE", "image");
var unsupportedFileType = (extension) => badRequest(`File type '${extension}' is not supported. Allowed formats: webp, bmp, png, jpg, jpeg`, "UNSUPPORTED_FILE_TYPE", "image");
var invalidSignature = () => badRequest("File does not appear to be a valid image (invalid file signature)", "INVALID_SIGNATURE", "image");
var emptyFile = () => badRequest("Uploaded file is empty (0 bytes).", "EMPTY_FILE", "image");
var fileTooLarge = (bytes) => badRequest(`File size (${(bytes / (1024 * 1024)).toFixed(1)} MB) exceeds the maximum allowed size of 50 MB.`, "FILE_TOO_LARGE", "image");
var imageTooWide = (width) => badRequest(`Image width (${width}px) exceeds the maximum allowed width of 10000px.`, "IMAGE_TOO_WIDE", "image");
var imageTooTall = (height) => badRequest(`Image height (${height}px) exceeds the maximum allowed height of 10000px.`, "IMAGE_TOO_TALL", "image");
var notAnInteger = (field, raw) => badRequest(`'${field}' must be an integer, got: ${formatValue(raw)}`, "INVALID_PARAMETER", field);
var belowMinimum = (field, min, value) => badRequest(`'${field}' must be at least ${min}, got: ${value}`, "INVALID_PARAMETER", field);
var aboveMaximum = (field, max, value) => badRequest(`'${field}' must be at most ${max}, got: ${value}`, "INVALID_PARAMETER", field);
var notBetween = (field, min, max, value) => badRequest(`'${field}' must be between ${min} and ${max}, got: ${value}`, "INVALID_PARAMETER", field);
var notANumber = (field, raw) => badRequest(`'${field}' must be a number, got: ${formatValue(raw)}`, "INVALID_PARAMETER", field);
var angleOutOfRange = (value) => badRequest(`'angle' must be between -360 and 360 degrees, got: ${formatFloat(value)}`, "INVALID_PARAMETER", "angle");
var invalidFormat = (raw) => badRequest(`Invalid format '${raw}'. Allowed formats: PNG, JPEG, WEBP, BMP`, "INVALID_PARAMETER", "format");
var invalidColor = (raw) => badRequest(`Invalid color format '${raw}'. Use hex format: #RGB, #RGBA, #RRGGBB, or #RRGGBBAA`, "INVALID_PARAMETER", "bg_color");
var notABoolean = (field, raw) => badRequest(`'${field}' must be a boolean (true/false/1/0), got: ${formatValue(raw)}`, "INVALID_PARAMETER", field);
var maskWithBgColor = () => badRequest("Cannot use 'mask=true' together with 'bg_color'. Choose one or the other.", "PARAMETER_CONFLICT", "bg_color");
var unknownEngine = (raw) => badRequest(`Unknown engine '${raw}'. Engines: ${engineNames.join(", ")}`, "UNKNOWN_ENGINE", "engine");
var unknownPreset = (raw) => badRequest(`Unknown preset '${raw}'. Presets: ${presetNames.join(", ")}`, "UNKNOWN_PRESET", "preset");
var presetNeedsLocal = (preset, engine) => badRequest(`Preset '${preset}' needs engine 'local'; engine '${typeof engine === "string" ? engine : "custom"}' has only 'quality'`, "PRESET_UNSUPPORTED", "preset");
var unknownParameter = (field, allowed) => badRequest(`Unknown parameter '${field}'. Allowed parameters: ${allowed.join(", ")}`, "UNKNOWN_PARAMETER", field);
function combineErrors(errors) {
  if (errors.length <= 1) return errors[0];
  return new RembgError("Multiple validation errors", {
    status: 400,
    code: "MULTIPLE_ERRORS",
    details: errors.map((e) => ({
      field: e.field ?? "",
      message: e.message
    }))
  });
}
var invalidApiKey = () => new RembgError("invalid api key", {
  status: 401,
  code: "INVALID_API_KEY"
});
var apiKeyAndToken = () => new RembgError("This is a mistake: Cannot use both API key and user token", {
  status: 400,
  code: "KEY_AND_TOKEN"
});
var emailNotVerified = () => new RembgError("Email address not verified \u2014 please check your inbox", {
  status: 403,
  code: "EMAIL_NOT_VERIFIED"
});
var tooManyRequests = () => new RembgError("You're making requests too quickly, Please Upgrade or slow down.", {
  status: 429,
  code: "RATE_LIMITED"
});
var dailyLimitReached = () => new RembgError("You've reached your daily limit. Please sign up for more access.", {
  status: 429,
  code: "DAILY_LIMIT"
});
var monthlyLimitReached = () => new RembgError("You've reached your monthly limit. Consider purchasing more credits.", {
  status: 429,
  code: "MONTHLY_LIMIT"
});
var serverBusy = () => new RembgError("The server is busy. Please retry later.", {
  status: 503,
  code: "SERVER_BUSY"
});
var invalidCropMargin = (raw) => badRequest(`'crop_margin' must be 1, 2 or 4 margins (all; top-bottom left-right; top right bottom left), each in whole pixels (30px or 30) or percent (10%), got: ${formatValue(raw)}`, "INVALID_PARAMETER", "crop_margin");
var cropMarginTooLarge = (margin) => badRequest(`'crop_margin' must be at most 500px or 50% a side, got: ${formatValue(margin)}`, "INVALID_PARAMETER", "crop_margin");
var localRequire = createRequire(import.meta.url);
var sharp;
function loadSharp() {
  sharp ??= localRequire("sharp");
  return sharp;
}

export {
  outputFormats,
  inputFormats,
  inputExtensions,
  engineNames,
  presetNames,
  trueWords,
  falseWords,
  apiParameterNames,
  parameterNames,
  limits,
  mimeTypes,
  fileExtensions,
  RembgError,
  isRembgError,
  describeError,
  withFile,
  noImageProvided,
  unsupportedFileType,
  invalidSignature,
  emptyFile,
  fileTooLarge,
  imageTooWide,
  imageTooTall,
  notAnInteger,
  belowMinimum,
  aboveMaximum,
  notBetween,
  notANumber,
  angleOutOfRange,
  invalidFormat,
  invalidColor,
  notABoolean,
  maskWithBgColor,
  unknownEngine,
  unknownPreset,
  presetNeedsLocal,
  unknownParameter,
  combineErrors,
  invalidApiKey,
  apiKeyAndToken,
  emailNotVerified,
  tooManyRequests,
  dailyLimitReached,
  monthlyLimitReached,
  serverBusy,
  invalidCropMargin,
  cropMarginTooLarge,
  loadSharp
};
