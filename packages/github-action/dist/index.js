import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  SharedWork,
  checkRuntimeInstalled,
  customModelSpec,
  defaultModel,
  defaultThreads,
  ensureModel,
  imglyDataDir,
  modelDirs,
  modelPresets,
  models,
  presetInput,
  readImglyResource
} from "./chunk-AD3ZBOQV.js";
import {
  rememberedSha256,
  sha256,
  writeFileAtomic
} from "./chunk-N5YKAANY.js";
import {
  require_ms
} from "./chunk-QKX6MYDT.js";
import {
  decodeBmp,
  formatCropMargin,
  isBmp,
  parseCropMargin,
  planCrop,
  readBmpSize
} from "./chunk-LSBNTZWO.js";
import {
  RembgError,
  aboveMaximum,
  angleOutOfRange,
  apiKeyAndToken,
  apiParameterNames,
  belowMinimum,
  combineErrors,
  dailyLimitReached,
  describeError,
  emailNotVerified,
  emptyFile,
  engineNames,
  falseWords,
  fileExtensions,
  fileTooLarge,
  imageTooTall,
  imageTooWide,
  inputExtensions,
  inputFormats,
  invalidApiKey,
  invalidColor,
  invalidCropMargin,
  invalidFormat,
  invalidSignature,
  isRembgError,
  limits,
  loadSharp,
  maskWithBgColor,
  mimeTypes,
  monthlyLimitReached,
  noImageProvided,
  notABoolean,
  notANumber,
  notAnInteger,
  notBetween,
  outputFormats,
  parameterNames,
  presetNames,
  presetNeedsLocal,
  serverBusy,
  tooManyRequests,
  trueWords,
  unknownEngine,
  unknownParameter,
  unknownPreset,
  unsupportedFileType,
  withFile
} from "./chunk-XPT3MNYB.js";
import {
  __commonJS,
  __toESM
} from "./chunk-NV5WPINZ.js";

// ../../node_modules/.pnpm/bytes@3.1.2/node_modules/bytes/index.js
var require_bytes = __commonJS({
  "../../node_modules/.pnpm/bytes@3.1.2/node_modules/bytes/index.js"(exports, module) {
    "use strict";
    module.exports = bytes2;
    module.exports.format = format;
    module.exports.parse = parse;
    var formatThousandsRegExp = /\B(?=(\d{3})+(?!\d))/g;
    var formatDecimalsRegExp = /(?:\.0*|(\.[^0]+)0+)$/;
    var map = {
      b: 1,
      kb: 1 << 10,
      mb: 1 << 20,
      gb: 1 << 30,
      tb: Math.pow(1024, 4),
      pb: Math.pow(1024, 5)
    };
    var parseRegExp = /^((-|\+)?(\d+(?:\.\d+)?)) *(kb|mb|gb|tb|pb)$/i;
    function bytes2(value, options) {
      if (typeof value === "string") {
        return parse(value);
      }
      if (typeof value === "number") {
        return format(value, options);
      }
      return null;
    }
    function format(value, options) {
      if (!Number.isFinite(value)) {
        return null;
      }
      var mag = Math.abs(value);
      var thousandsSeparator = options && options.thousandsSeparator || "";
      var unitSeparator = options && options.unitSeparator || "";
      var decimalPlaces = options && options.decimalPlaces !== void 0 ? options.decimalPlaces : 2;
      var fixedDecimals = Boolean(options && options.fixedDecimals);
      var unit = options && options.unit || "";
      if (!unit || !map[unit.toLowerCase()]) {
        if (mag >= map.pb) {
          unit = "PB";
        } else if (mag >= map.tb) {
          unit = "TB";
        } else if (mag >= map.gb) {
          unit = "GB";
        } else if (mag >= map.mb) {
          unit = "MB";
        } else if (mag >= map.kb) {
          unit = "KB";
        } else {
          unit = "B";
        }
      }
      var val = value / map[unit.toLowerCase()];
      var str = val.toFixed(decimalPlaces);
      if (!fixedDecimals) {
        str = str.replace(formatDecimalsRegExp, "$1");
      }
      if (thousandsSeparator) {
        str = str.split(".").map(function(s, i) {
          return i === 0 ? s.replace(formatThousandsRegExp, thousandsSeparator) : s;
        }).join(".");
      }
      return str + unitSeparator + unit;
    }
    function parse(val) {
      if (typeof val === "number" && !isNaN(val)) {
        return val;
      }
      if (typeof val !== "string") {
        return null;
      }
      var results = parseRegExp.exec(val);
      var floatValue;
      var unit = "b";
      if (!results) {
        floatValue = parseInt(val, 10);
        unit = "b";
      } else {
        floatValue = parseFloat(results[1]);
        unit = results[4].toLowerCase();
      }
      if (isNaN(floatValue)) {
        return null;
      }
      return Math.floor(map[unit] * floatValue);
    }
  }
});

// ../../node_modules/.pnpm/color-name@1.1.4/node_modules/color-name/index.js
var require_color_name = __commonJS({
  "../../node_modules/.pnpm/color-name@1.1.4/node_modules/color-name/index.js"(exports, module) {
    "use strict";
    module.exports = {
      "aliceblue": [240, 248, 255],
      "antiquewhite": [250, 235, 215],
      "aqua": [0, 255, 255],
      "aquamarine": [127, 255, 212],
      "azure": [240, 255, 255],
      "beige": [245, 245, 220],
      "bisque": [255, 228, 196],
      "black": [0, 0, 0],
      "blanchedalmond": [255, 235, 205],
      "blue": [0, 0, 255],
      "blueviolet": [138, 43, 226],
      "brown": [165, 42, 42],
      "burlywood": [222, 184, 135],
      "cadetblue": [95, 158, 160],
      "chartreuse": [127, 255, 0],
      "chocolate": [210, 105, 30],
      "coral": [255, 127, 80],
      "cornflowerblue": [100, 149, 237],
      "cornsilk": [255, 248, 220],
      "crimson": [220, 20, 60],
      "cyan": [0, 255, 255],
      "darkblue": [0, 0, 139],
      "darkcyan": [0, 139, 139],
      "darkgoldenrod": [184, 134, 11],
      "darkgray": [169, 169, 169],
      "darkgreen": [0, 100, 0],
      "darkgrey": [169, 169, 169],
      "darkkhaki": [189, 183, 107],
      "darkmagenta": [139, 0, 139],
      "darkolivegreen": [85, 107, 47],
      "darkorange": [255, 140, 0],
      "darkorchid": [153, 50, 204],
      "darkred": [139, 0, 0],
      "darksalmon": [233, 150, 122],
      "darkseagreen": [143, 188, 143],
      "darkslateblue": [72, 61, 139],
      "darkslategray": [47, 79, 79],
      "darkslategrey": [47, 79, 79],
      "darkturquoise": [0, 206, 209],
      "darkviolet": [148, 0, 211],
      "deeppink": [255, 20, 147],
      "deepskyblue": [0, 191, 255],
      "dimgray": [105, 105, 105],
      "dimgrey": [105, 105, 105],
      "dodgerblue": [30, 144, 255],
      "firebrick": [178, 34, 34],
      "floralwhite": [255, 250, 240],
      "forestgreen": [34, 139, 34],
      "fuchsia": [255, 0, 255],
      "gainsboro": [220, 220, 220],
      "ghostwhite": [248, 248, 255],
      "gold": [255, 215, 0],
      "goldenrod": [218, 165, 32],
      "gray": [128, 128, 128],
      "green": [0, 128, 0],
      "greenyellow": [173, 255, 47],
      "grey": [128, 128, 128],
      "honeydew": [240, 255, 240],
      "hotpink": [255, 105, 180],
      "indianred": [205, 92, 92],
      "indigo": [75, 0, 130],
      "ivory": [255, 255, 240],
      "khaki": [240, 230, 140],
      "lavender": [230, 230, 250],
      "lavenderblush": [255, 240, 245],
      "lawngreen": [124, 252, 0],
      "lemonchiffon": [255, 250, 205],
      "lightblue": [173, 216, 230],
      "lightcoral": [240, 128, 128],
      "lightcyan": [224, 255, 255],
      "lightgoldenrodyellow": [250, 250, 210],
      "lightgray": [211, 211, 211],
      "lightgreen": [144, 238, 144],
      "lightgrey": [211, 211, 211],
      "lightpink": [255, 182, 193],
      "lightsalmon": [255, 160, 122],
      "lightseagreen": [32, 178, 170],
      "lightskyblue": [135, 206, 250],
      "lightslategray": [119, 136, 153],
      "lightslategrey": [119, 136, 153],
      "lightsteelblue": [176, 196, 222],
      "lightyellow": [255, 255, 224],
      "lime": [0, 255, 0],
      "limegreen": [50, 205, 50],
      "linen": [250, 240, 230],
      "magenta": [255, 0, 255],
      "maroon": [128, 0, 0],
      "mediumaquamarine": [102, 205, 170],
      "mediumblue": [0, 0, 205],
      "mediumorchid": [186, 85, 211],
      "mediumpurple": [147, 112, 219],
      "mediumseagreen": [60, 179, 113],
      "mediumslateblue": [123, 104, 238],
      "mediumspringgreen": [0, 250, 154],
      "mediumturquoise": [72, 209, 204],
      "mediumvioletred": [199, 21, 133],
      "midnightblue": [25, 25, 112],
      "mintcream": [245, 255, 250],
      "mistyrose": [255, 228, 225],
      "moccasin": [255, 228, 181],
      "navajowhite": [255, 222, 173],
      "navy": [0, 0, 128],
      "oldlace": [253, 245, 230],
      "olive": [128, 128, 0],
      "olivedrab": [107, 142, 35],
      "orange": [255, 165, 0],
      "orangered": [255, 69, 0],
      "orchid": [218, 112, 214],
      "palegoldenrod": [238, 232, 170],
      "palegreen": [152, 251, 152],
      "paleturquoise": [175, 238, 238],
      "palevioletred": [219, 112, 147],
      "papayawhip": [255, 239, 213],
      "peachpuff": [255, 218, 185],
      "peru": [205, 133, 63],
      "pink": [255, 192, 203],
      "plum": [221, 160, 221],
      "powderblue": [176, 224, 230],
      "purple": [128, 0, 128],
      "rebeccapurple": [102, 51, 153],
      "red": [255, 0, 0],
      "rosybrown": [188, 143, 143],
      "royalblue": [65, 105, 225],
      "saddlebrown": [139, 69, 19],
      "salmon": [250, 128, 114],
      "sandybrown": [244, 164, 96],
      "seagreen": [46, 139, 87],
      "seashell": [255, 245, 238],
      "sienna": [160, 82, 45],
      "silver": [192, 192, 192],
      "skyblue": [135, 206, 235],
      "slateblue": [106, 90, 205],
      "slategray": [112, 128, 144],
      "slategrey": [112, 128, 144],
      "snow": [255, 250, 250],
      "springgreen": [0, 255, 127],
      "steelblue": [70, 130, 180],
      "tan": [210, 180, 140],
      "teal": [0, 128, 128],
      "thistle": [216, 191, 216],
      "tomato": [255, 99, 71],
      "turquoise": [64, 224, 208],
      "violet": [238, 130, 238],
      "wheat": [245, 222, 179],
      "white": [255, 255, 255],
      "whitesmoke": [245, 245, 245],
      "yellow": [255, 255, 0],
      "yellowgreen": [154, 205, 50]
    };
  }
});

// ../../node_modules/.pnpm/picomatch@4.0.7/node_modules/picomatch/lib/constants.js
var require_constants = __commonJS({
  "../../node_modules/.pnpm/picomatch@4.0.7/node_modules/picomatch/lib/constants.js"(exports, module) {
    "use strict";
    var WIN_SLASH = "\\\\/";
    var WIN_NO_SLASH = `[^${WIN_SLASH}]`;
    var DEFAULT_MAX_EXTGLOB_RECURSION = 0;
    var DOT_LITERAL = "\\.";
    var PLUS_LITERAL = "\\+";
    var QMARK_LITERAL = "\\?";
    var SLASH_LITERAL = "\\/";
    var ONE_CHAR = "(?=.)";
    var QMARK = "[^/]";
    var END_ANCHOR = `(?:${SLASH_LITERAL}|$)`;
    var START_ANCHOR = `(?:^|${SLASH_LITERAL})`;
    var DOTS_SLASH = `${DOT_LITERAL}{1,2}${END_ANCHOR}`;
    var NO_DOT = `(?!${DOT_LITERAL})`;
    var NO_DOTS = `(?!${START_ANCHOR}${DOTS_SLASH})`;
    var NO_DOT_SLASH = `(?!${DOT_LITERAL}{0,1}${END_ANCHOR})`;
    var NO_DOTS_SLASH = `(?!${DOTS_SLASH})`;
    var QMARK_NO_DOT = `[^.${SLASH_LITERAL}]`;
    var STAR = `${QMARK}*?`;
    var SEP = "/";
    var POSIX_CHARS = {
      DOT_LITERAL,
      PLUS_LITERAL,
      QMARK_LITERAL,
      SLASH_LITERAL,
      ONE_CHAR,
      QMARK,
      END_ANCHOR,
      DOTS_SLASH,
      NO_DOT,
      NO_DOTS,
      NO_DOT_SLASH,
      NO_DOTS_SLASH,
      QMARK_NO_DOT,
      STAR,
      START_ANCHOR,
      SEP
    };
    var WINDOWS_CHARS = {
      ...POSIX_CHARS,
      SLASH_LITERAL: `[${WIN_SLASH}]`,
      QMARK: WIN_NO_SLASH,
      STAR: `${WIN_NO_SLASH}*?`,
      DOTS_SLASH: `${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$)`,
      NO_DOT: `(?!${DOT_LITERAL})`,
      NO_DOTS: `(?!(?:^|[${WIN_SLASH}])${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      NO_DOT_SLASH: `(?!${DOT_LITERAL}{0,1}(?:[${WIN_SLASH}]|$))`,
      NO_DOTS_SLASH: `(?!${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      QMARK_NO_DOT: `[^.${WIN_SLASH}]`,
      START_ANCHOR: `(?:^|[${WIN_SLASH}])`,
      END_ANCHOR: `(?:[${WIN_SLASH}]|$)`,
      SEP: "\\"
    };
    var POSIX_REGEX_SOURCE = {
      __proto__: null,
      alnum: "a-zA-Z0-9",
      alpha: "a-zA-Z",
      ascii: "\\x00-\\x7F",
      blank: " \\t",
      cntrl: "\\x00-\\x1F\\x7F",
      digit: "0-9",
      graph: "\\x21-\\x7E",
      lower: "a-z",
      print: "\\x20-\\x7E ",
      punct: "\\-!\"#$%&'()\\*+,./:;<=>?@[\\]^_`{|}~",
      space: " \\t\\r\\n\\v\\f",
      upper: "A-Z",
      word: "A-Za-z0-9_",
      xdigit: "A-Fa-f0-9"
    };
    module.exports = {
      DEFAULT_MAX_EXTGLOB_RECURSION,
      MAX_LENGTH: 1024 * 64,
      POSIX_REGEX_SOURCE,
      // regular expressions
      REGEX_BACKSLASH: /\\(?![*+?^${}(|)[\]])/g,
      REGEX_NON_SPECIAL_CHARS: /^[^@![\].,$*+?^{}()|\\/]+/,
      REGEX_SPECIAL_CHARS: /[-*+?.^${}(|)[\]]/,
      REGEX_SPECIAL_CHARS_BACKREF: /(\\?)((\W)(\3*))/g,
      REGEX_SPECIAL_CHARS_GLOBAL: /([-*+?.^${}(|)[\]])/g,
      REGEX_REMOVE_BACKSLASH: /(?:\[.*?[^\\]\]|\\(?=.))/g,
      // Replace globs with equivalent patterns to reduce parsing time.
      REPLACEMENTS: {
        __proto__: null,
        "***": "*",
        "**/**": "**",
        "**/**/**": "**"
      },
      // Digits
      CHAR_0: 48,
      /* 0 */
      CHAR_9: 57,
      /* 9 */
      // Alphabet chars.
      CHAR_UPPERCASE_A: 65,
      /* A */
      CHAR_LOWERCASE_A: 97,
      /* a */
      CHAR_UPPERCASE_Z: 90,
      /* Z */
      CHAR_LOWERCASE_Z: 122,
      /* z */
      CHAR_LEFT_PARENTHESES: 40,
      /* ( */
      CHAR_RIGHT_PARENTHESES: 41,
      /* ) */
      CHAR_ASTERISK: 42,
      /* * */
      // Non-alphabetic chars.
      CHAR_AMPERSAND: 38,
      /* & */
      CHAR_AT: 64,
      /* @ */
      CHAR_BACKWARD_SLASH: 92,
      /* \ */
      CHAR_CARRIAGE_RETURN: 13,
      /* \r */
      CHAR_CIRCUMFLEX_ACCENT: 94,
      /* ^ */
      CHAR_COLON: 58,
      /* : */
      CHAR_COMMA: 44,
      /* , */
      CHAR_DOT: 46,
      /* . */
      CHAR_DOUBLE_QUOTE: 34,
      /* " */
      CHAR_EQUAL: 61,
      /* = */
      CHAR_EXCLAMATION_MARK: 33,
      /* ! */
      CHAR_FORM_FEED: 12,
      /* \f */
      CHAR_FORWARD_SLASH: 47,
      /* / */
      CHAR_GRAVE_ACCENT: 96,
      /* ` */
      CHAR_HASH: 35,
      /* # */
      CHAR_HYPHEN_MINUS: 45,
      /* - */
      CHAR_LEFT_ANGLE_BRACKET: 60,
      /* < */
      CHAR_LEFT_CURLY_BRACE: 123,
      /* { */
      CHAR_LEFT_SQUARE_BRACKET: 91,
      /* [ */
      CHAR_LINE_FEED: 10,
      /* \n */
      CHAR_NO_BREAK_SPACE: 160,
      /* \u00A0 */
      CHAR_PERCENT: 37,
      /* % */
      CHAR_PLUS: 43,
      /* + */
      CHAR_QUESTION_MARK: 63,
      /* ? */
      CHAR_RIGHT_ANGLE_BRACKET: 62,
      /* > */
      CHAR_RIGHT_CURLY_BRACE: 125,
      /* } */
      CHAR_RIGHT_SQUARE_BRACKET: 93,
      /* ] */
      CHAR_SEMICOLON: 59,
      /* ; */
      CHAR_SINGLE_QUOTE: 39,
      /* ' */
      CHAR_SPACE: 32,
      /*   */
      CHAR_TAB: 9,
      /* \t */
      CHAR_UNDERSCORE: 95,
      /* _ */
      CHAR_VERTICAL_LINE: 124,
      /* | */
      CHAR_ZERO_WIDTH_NOBREAK_SPACE: 65279,
      /* \uFEFF */
      /**
       * Create EXTGLOB_CHARS
       */
      extglobChars(chars) {
        return {
          "!": { type: "negate", open: "(?:(?!(?:", close: `))${chars.STAR})` },
          "?": { type: "qmark", open: "(?:", close: ")?" },
          "+": { type: "plus", open: "(?:", close: ")+" },
          "*": { type: "star", open: "(?:", close: ")*" },
          "@": { type: "at", open: "(?:", close: ")" }
        };
      },
      /**
       * Create GLOB_CHARS
       */
      globChars(win322) {
        return win322 === true ? WINDOWS_CHARS : POSIX_CHARS;
      }
    };
  }
});

// ../../node_modules/.pnpm/picomatch@4.0.7/node_modules/picomatch/lib/utils.js
var require_utils = __commonJS({
  "../../node_modules/.pnpm/picomatch@4.0.7/node_modules/picomatch/lib/utils.js"(exports) {
    "use strict";
    var {
      REGEX_BACKSLASH,
      REGEX_REMOVE_BACKSLASH,
      REGEX_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_GLOBAL
    } = require_constants();
    exports.isObject = (val) => val !== null && typeof val === "object" && !Array.isArray(val);
    exports.hasRegexChars = (str) => REGEX_SPECIAL_CHARS.test(str);
    exports.isRegexChar = (str) => str.length === 1 && exports.hasRegexChars(str);
    exports.escapeRegex = (str) => str.replace(REGEX_SPECIAL_CHARS_GLOBAL, "\\$1");
    exports.toPosixSlashes = (str) => str.replace(REGEX_BACKSLASH, "/");
    exports.isWindows = () => {
      if (typeof navigator !== "undefined" && navigator.platform) {
        const platform2 = navigator.platform.toLowerCase();
        return platform2 === "win32" || platform2 === "windows";
      }
      if (typeof process !== "undefined" && process.platform) {
        return process.platform === "win32";
      }
      return false;
    };
    exports.removeBackslashes = (str) => {
      return str.replace(REGEX_REMOVE_BACKSLASH, (match) => {
        return match === "\\" ? "" : match;
      });
    };
    exports.escapeLast = (input, char, lastIdx) => {
      const idx = input.lastIndexOf(char, lastIdx);
      if (idx === -1) return input;
      if (input[idx - 1] === "\\") return exports.escapeLast(input, char, idx - 1);
      return `${input.slice(0, idx)}\\${input.slice(idx)}`;
    };
    exports.removePrefix = (input, state = {}) => {
      let output = input;
      if (output.startsWith("./")) {
        output = output.slice(2);
        state.prefix = "./";
      }
      return output;
    };
    exports.wrapOutput = (input, state = {}, options = {}) => {
      const prepend = options.contains ? "" : "^";
      const append = options.contains ? "" : "$";
      let output = `${prepend}(?:${input})${append}`;
      if (state.negated === true) {
        output = `(?:^(?!${output}).*$)`;
      }
      return output;
    };
    exports.basename = (path, { windows } = {}) => {
      const segs = path.split(windows ? /[\\/]/ : "/");
      const last = segs[segs.length - 1];
      if (last === "") {
        return segs[segs.length - 2];
      }
      return last;
    };
  }
});

// ../../node_modules/.pnpm/picomatch@4.0.7/node_modules/picomatch/lib/scan.js
var require_scan = __commonJS({
  "../../node_modules/.pnpm/picomatch@4.0.7/node_modules/picomatch/lib/scan.js"(exports, module) {
    "use strict";
    var utils = require_utils();
    var {
      CHAR_ASTERISK,
      /* * */
      CHAR_AT,
      /* @ */
      CHAR_BACKWARD_SLASH,
      /* \ */
      CHAR_COMMA,
      /* , */
      CHAR_DOT,
      /* . */
      CHAR_EXCLAMATION_MARK,
      /* ! */
      CHAR_FORWARD_SLASH,
      /* / */
      CHAR_LEFT_CURLY_BRACE,
      /* { */
      CHAR_LEFT_PARENTHESES,
      /* ( */
      CHAR_LEFT_SQUARE_BRACKET,
      /* [ */
      CHAR_PLUS,
      /* + */
      CHAR_QUESTION_MARK,
      /* ? */
      CHAR_RIGHT_CURLY_BRACE,
      /* } */
      CHAR_RIGHT_PARENTHESES,
      /* ) */
      CHAR_RIGHT_SQUARE_BRACKET
      /* ] */
    } = require_constants();
    var isPathSeparator = (code) => {
      return code === CHAR_FORWARD_SLASH || code === CHAR_BACKWARD_SLASH;
    };
    var depth = (token) => {
      if (token.isPrefix !== true) {
        token.depth = token.isGlobstar ? Infinity : 1;
      }
    };
    var scan = (input, options) => {
      const opts = options || {};
      const length = input.length - 1;
      const scanToEnd = opts.parts === true || opts.tokens === true || opts.scanToEnd === true;
      const slashes = [];
      const tokens = [];
      const parts = [];
      let str = input;
      let index = -1;
      let start = 0;
      let lastIndex = 0;
      let isBrace = false;
      let isBracket = false;
      let isGlob = false;
      let isExtglob = false;
      let isGlobstar = false;
      let braceEscaped = false;
      let backslashes = false;
      let negated = false;
      let negatedExtglob = false;
      let finished = false;
      let braces = 0;
      let prev;
      let code;
      let token = { value: "", depth: 0, isGlob: false };
      const eos = () => index >= length;
      const peek = () => str.charCodeAt(index + 1);
      const advance = () => {
        prev = code;
        return str.charCodeAt(++index);
      };
      while (index < length) {
        code = advance();
        let next;
        if (code === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          code = advance();
          if (code === CHAR_LEFT_CURLY_BRACE) {
            braceEscaped = true;
          }
          continue;
        }
        if (braceEscaped === true || code === CHAR_LEFT_CURLY_BRACE) {
          braces++;
          while (eos() !== true && (code = advance())) {
            if (code === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (code === CHAR_LEFT_CURLY_BRACE) {
              braces++;
              continue;
            }
            if (braceEscaped !== true && code === CHAR_DOT && (code = advance()) === CHAR_DOT) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (braceEscaped !== true && code === CHAR_COMMA) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (code === CHAR_RIGHT_CURLY_BRACE) {
              braces--;
              if (braces === 0) {
                braceEscaped = false;
                isBrace = token.isBrace = true;
                finished = true;
                break;
              }
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_FORWARD_SLASH) {
          slashes.push(index);
          tokens.push(token);
          token = { value: "", depth: 0, isGlob: false };
          if (finished === true) continue;
          if (prev === CHAR_DOT && index === start + 1) {
            start += 2;
            continue;
          }
          lastIndex = index + 1;
          continue;
        }
        if (opts.noext !== true) {
          const isExtglobChar = code === CHAR_PLUS || code === CHAR_AT || code === CHAR_ASTERISK || code === CHAR_QUESTION_MARK || code === CHAR_EXCLAMATION_MARK;
          if (isExtglobChar === true && peek() === CHAR_LEFT_PARENTHESES) {
            isGlob = token.isGlob = true;
            isExtglob = token.isExtglob = true;
            finished = true;
            if (code === CHAR_EXCLAMATION_MARK && index === start) {
              negatedExtglob = true;
            }
            if (scanToEnd === true) {
              let parens = 0;
              while (eos() !== true && (code = advance())) {
                if (code === CHAR_BACKWARD_SLASH) {
                  backslashes = token.backslashes = true;
                  advance();
                  continue;
                }
                if (code === CHAR_LEFT_PARENTHESES) {
                  parens++;
                  continue;
                }
                if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
                  finished = true;
                  break;
                }
              }
              continue;
            }
            break;
          }
        }
        if (code === CHAR_ASTERISK) {
          if (prev === CHAR_ASTERISK) isGlobstar = token.isGlobstar = true;
          isGlob = token.isGlob = true;
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_QUESTION_MARK) {
          isGlob = token.isGlob = true;
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_LEFT_SQUARE_BRACKET) {
          while (eos() !== true && (next = advance())) {
            if (next === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (next === CHAR_RIGHT_SQUARE_BRACKET) {
              isBracket = token.isBracket = true;
              isGlob = token.isGlob = true;
              finished = true;
              break;
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (opts.nonegate !== true && code === CHAR_EXCLAMATION_MARK && index === start) {
          negated = token.negated = true;
          start++;
          continue;
        }
        if (opts.noparen !== true && code === CHAR_LEFT_PARENTHESES) {
          isGlob = token.isGlob = true;
          if (scanToEnd === true) {
            let parens = 1;
            while (eos() !== true && (code = advance())) {
              if (code === CHAR_BACKWARD_SLASH) {
                backslashes = token.backslashes = true;
                advance();
                continue;
              }
              if (code === CHAR_LEFT_PARENTHESES) {
                parens++;
                continue;
              }
              if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
                finished = true;
                break;
              }
            }
            continue;
          }
          break;
        }
        if (isGlob === true) {
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
      }
      if (opts.noext === true) {
        isExtglob = false;
        isGlob = false;
      }
      let base = str;
      let prefix = "";
      let glob = "";
      if (start > 0) {
        prefix = str.slice(0, start);
        str = str.slice(start);
        lastIndex -= start;
      }
      if (base && isGlob === true && lastIndex > 0) {
        base = str.slice(0, lastIndex);
        glob = str.slice(lastIndex);
      } else if (isGlob === true) {
        base = "";
        glob = str;
      } else {
        base = str;
      }
      if (base && base !== "" && base !== "/" && base !== str) {
        if (isPathSeparator(base.charCodeAt(base.length - 1))) {
          base = base.slice(0, -1);
        }
      }
      if (opts.unescape === true) {
        if (glob) glob = utils.removeBackslashes(glob);
        if (base && backslashes === true) {
          base = utils.removeBackslashes(base);
        }
      }
      const state = {
        prefix,
        input,
        start,
        base,
        glob,
        isBrace,
        isBracket,
        isGlob,
        isExtglob,
        isGlobstar,
        negated,
        negatedExtglob
      };
      if (opts.tokens === true) {
        state.maxDepth = 0;
        if (!isPathSeparator(code)) {
          tokens.push(token);
        }
        state.tokens = tokens;
      }
      if (opts.parts === true || opts.tokens === true) {
        let prevIndex;
        for (let idx = 0; idx < slashes.length; idx++) {
          const n2 = prevIndex !== void 0 ? prevIndex + 1 : start;
          const i = slashes[idx];
          const value2 = input.slice(n2, i);
          if (opts.tokens) {
            if (idx === 0 && start !== 0) {
              tokens[idx].isPrefix = true;
              tokens[idx].value = prefix;
            } else {
              tokens[idx].value = value2;
            }
            depth(tokens[idx]);
            state.maxDepth += tokens[idx].depth;
          }
          if (i >= start) {
            parts.push(value2);
            prevIndex = i;
          }
        }
        const n = prevIndex !== void 0 ? prevIndex + 1 : start;
        const value = input.slice(n);
        parts.push(value);
        if (opts.tokens && prevIndex && prevIndex + 1 < input.length) {
          tokens[tokens.length - 1].value = value;
          depth(tokens[tokens.length - 1]);
          state.maxDepth += tokens[tokens.length - 1].depth;
        }
        state.slashes = slashes;
        state.parts = parts;
      }
      return state;
    };
    module.exports = scan;
  }
});

// ../../node_modules/.pnpm/picomatch@4.0.7/node_modules/picomatch/lib/parse.js
var require_parse = __commonJS({
  "../../node_modules/.pnpm/picomatch@4.0.7/node_modules/picomatch/lib/parse.js"(exports, module) {
    "use strict";
    var constants3 = require_constants();
    var utils = require_utils();
    var {
      MAX_LENGTH,
      POSIX_REGEX_SOURCE,
      REGEX_NON_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_BACKREF,
      REPLACEMENTS
    } = constants3;
    var expandRange = (args, options) => {
      if (typeof options.expandRange === "function") {
        return options.expandRange(...args, options);
      }
      args.sort();
      const value = `[${args.join("-")}]`;
      try {
        new RegExp(value);
      } catch (ex) {
        return args.map((v) => utils.escapeRegex(v)).join("..");
      }
      return value;
    };
    var syntaxError = (type, char) => {
      return `Missing ${type}: "${char}" - use "\\\\${char}" to match literal characters`;
    };
    var splitTopLevel = (input) => {
      const parts = [];
      let bracket = 0;
      let paren = 0;
      let quote = 0;
      let value = "";
      let escaped = false;
      for (const ch of input) {
        if (escaped === true) {
          value += ch;
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          value += ch;
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote = quote === 1 ? 0 : 1;
          value += ch;
          continue;
        }
        if (quote === 0) {
          if (ch === "[") {
            bracket++;
          } else if (ch === "]" && bracket > 0) {
            bracket--;
          } else if (bracket === 0) {
            if (ch === "(") {
              paren++;
            } else if (ch === ")" && paren > 0) {
              paren--;
            } else if (ch === "|" && paren === 0) {
              parts.push(value);
              value = "";
              continue;
            }
          }
        }
        value += ch;
      }
      parts.push(value);
      return parts;
    };
    var isPlainBranch = (branch) => {
      let escaped = false;
      for (const ch of branch) {
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (/[?*+@!()[\]{}]/.test(ch)) {
          return false;
        }
      }
      return true;
    };
    var normalizeSimpleBranch = (branch) => {
      let value = branch.trim();
      let changed = true;
      while (changed === true) {
        changed = false;
        if (/^@\([^\\()[\]{}|]+\)$/.test(value)) {
          value = value.slice(2, -1);
          changed = true;
        }
      }
      if (!isPlainBranch(value)) {
        return;
      }
      return value.replace(/\\(.)/g, "$1");
    };
    var hasRepeatedCharPrefixOverlap = (branches) => {
      const values = branches.map(normalizeSimpleBranch).filter(Boolean);
      for (let i = 0; i < values.length; i++) {
        for (let j = i + 1; j < values.length; j++) {
          const a = values[i];
          const b = values[j];
          const char = a[0];
          if (!char || a !== char.repeat(a.length) || b !== char.repeat(b.length)) {
            continue;
          }
          if (a === b || a.startsWith(b) || b.startsWith(a)) {
            return true;
          }
        }
      }
      return false;
    };
    var parseRepeatedExtglob = (pattern, requireEnd = true) => {
      if (pattern[0] !== "+" && pattern[0] !== "*" || pattern[1] !== "(") {
        return;
      }
      let bracket = 0;
      let paren = 0;
      let quote = 0;
      let escaped = false;
      for (let i = 1; i < pattern.length; i++) {
        const ch = pattern[i];
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote = quote === 1 ? 0 : 1;
          continue;
        }
        if (quote === 1) {
          continue;
        }
        if (ch === "[") {
          bracket++;
          continue;
        }
        if (ch === "]" && bracket > 0) {
          bracket--;
          continue;
        }
        if (bracket > 0) {
          continue;
        }
        if (ch === "(") {
          paren++;
          continue;
        }
        if (ch === ")") {
          paren--;
          if (paren === 0) {
            if (requireEnd === true && i !== pattern.length - 1) {
              return;
            }
            return {
              type: pattern[0],
              body: pattern.slice(2, i),
              end: i
            };
          }
        }
      }
    };
    var buildCharClassStar = (chars) => {
      const source = chars.length === 1 ? utils.escapeRegex(chars[0]) : `[${chars.map((ch) => utils.escapeRegex(ch)).join("")}]`;
      return `${source}*`;
    };
    var getStarExtglobSequenceChars = (pattern) => {
      let index = 0;
      const chars = [];
      while (index < pattern.length) {
        const match = parseRepeatedExtglob(pattern.slice(index), false);
        if (!match || match.type !== "*") {
          return;
        }
        const branches = splitTopLevel(match.body).map((branch2) => branch2.trim());
        if (branches.length !== 1) {
          return;
        }
        const branch = normalizeSimpleBranch(branches[0]);
        if (!branch || branch.length !== 1) {
          return;
        }
        chars.push(branch);
        index += match.end + 1;
      }
      if (chars.length < 1) {
        return;
      }
      return chars;
    };
    var repeatedExtglobRecursion = (pattern) => {
      let depth = 0;
      let value = pattern.trim();
      let match = parseRepeatedExtglob(value);
      while (match) {
        depth++;
        value = match.body.trim();
        match = parseRepeatedExtglob(value);
      }
      return depth;
    };
    var analyzeRepeatedExtglob = (body, options) => {
      if (options.maxExtglobRecursion === false) {
        return { risky: false };
      }
      const max = typeof options.maxExtglobRecursion === "number" ? options.maxExtglobRecursion : constants3.DEFAULT_MAX_EXTGLOB_RECURSION;
      const branches = splitTopLevel(body).map((branch) => branch.trim());
      if (branches.length > 1) {
        if (branches.some((branch) => branch === "") || branches.some((branch) => /^[*?]+$/.test(branch)) || hasRepeatedCharPrefixOverlap(branches)) {
          return { risky: true };
        }
      }
      const safeChars = [];
      let sawStarSequence = false;
      let combinable = true;
      for (const branch of branches) {
        const chars = getStarExtglobSequenceChars(branch);
        if (chars) {
          sawStarSequence = true;
          safeChars.push(...chars);
          continue;
        }
        const literal = normalizeSimpleBranch(branch);
        if (literal && literal.length === 1) {
          safeChars.push(literal);
          continue;
        }
        combinable = false;
        if (repeatedExtglobRecursion(branch) > max) {
          return { risky: true };
        }
      }
      if (sawStarSequence) {
        return combinable ? { risky: true, safeOutput: buildCharClassStar([...new Set(safeChars)]) } : { risky: true };
      }
      return { risky: false };
    };
    var parse = (input, options) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected a string");
      }
      input = REPLACEMENTS[input] || input;
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      let len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      const bos = { type: "bos", value: "", output: opts.prepend || "" };
      const tokens = [bos];
      const capture = opts.capture ? "" : "?:";
      const PLATFORM_CHARS = constants3.globChars(opts.windows);
      const EXTGLOB_CHARS = constants3.extglobChars(PLATFORM_CHARS);
      const {
        DOT_LITERAL,
        PLUS_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOT_SLASH,
        NO_DOTS_SLASH,
        QMARK,
        QMARK_NO_DOT,
        STAR,
        START_ANCHOR
      } = PLATFORM_CHARS;
      const globstar = (opts2) => {
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const nodot = opts.dot ? "" : NO_DOT;
      const qmarkNoDot = opts.dot ? QMARK : QMARK_NO_DOT;
      let star = opts.bash === true ? globstar(opts) : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      if (typeof opts.noext === "boolean") {
        opts.noextglob = opts.noext;
      }
      const state = {
        input,
        index: -1,
        start: 0,
        dot: opts.dot === true,
        consumed: "",
        output: "",
        prefix: "",
        backtrack: false,
        negated: false,
        brackets: 0,
        braces: 0,
        parens: 0,
        quotes: 0,
        globstar: false,
        tokens
      };
      input = utils.removePrefix(input, state);
      len = input.length;
      const extglobs = [];
      const braces = [];
      const stack = [];
      let prev = bos;
      let value;
      const eos = () => state.index === len - 1;
      const peek = state.peek = (n = 1) => input[state.index + n];
      const advance = state.advance = () => input[++state.index] || "";
      const remaining = () => input.slice(state.index + 1);
      const consume = (value2 = "", num = 0) => {
        state.consumed += value2;
        state.index += num;
      };
      const append = (token) => {
        state.output += token.output != null ? token.output : token.value;
        consume(token.value);
      };
      const negate = () => {
        let count = 1;
        while (peek() === "!" && (peek(2) !== "(" || peek(3) === "?")) {
          advance();
          state.start++;
          count++;
        }
        if (count % 2 === 0) {
          return false;
        }
        state.negated = true;
        state.start++;
        return true;
      };
      const increment = (type) => {
        state[type]++;
        stack.push(type);
      };
      const decrement = (type) => {
        state[type]--;
        stack.pop();
      };
      const push = (tok) => {
        if (prev.type === "globstar") {
          const isBrace = state.braces > 0 && (tok.type === "comma" || tok.type === "brace");
          const isExtglob = tok.extglob === true || extglobs.length && (tok.type === "pipe" || tok.type === "paren");
          if (tok.type !== "slash" && tok.type !== "paren" && !isBrace && !isExtglob) {
            state.output = state.output.slice(0, -prev.output.length);
            prev.type = "star";
            prev.value = "*";
            prev.output = star;
            state.output += prev.output;
          }
        }
        if (extglobs.length && tok.type !== "paren") {
          extglobs[extglobs.length - 1].inner += tok.value;
        }
        if (tok.value || tok.output) append(tok);
        if (prev && prev.type === "text" && tok.type === "text") {
          prev.output = (prev.output || prev.value) + tok.value;
          prev.value += tok.value;
          return;
        }
        tok.prev = prev;
        tokens.push(tok);
        prev = tok;
      };
      const extglobOpen = (type, value2) => {
        const token = { ...EXTGLOB_CHARS[value2], conditions: 1, inner: "" };
        token.prev = prev;
        token.parens = state.parens;
        token.output = state.output;
        token.startIndex = state.index;
        token.tokensIndex = tokens.length;
        const output = (opts.capture ? "(" : "") + token.open;
        increment("parens");
        push({ type, value: value2, output: state.output ? "" : ONE_CHAR });
        push({ type: "paren", extglob: true, value: advance(), output });
        extglobs.push(token);
      };
      const extglobClose = (token) => {
        const literal = input.slice(token.startIndex, state.index + 1);
        const body = input.slice(token.startIndex + 2, state.index);
        const analysis = analyzeRepeatedExtglob(body, opts);
        if ((token.type === "plus" || token.type === "star") && analysis.risky) {
          const safeOutput = analysis.safeOutput ? (token.output ? "" : ONE_CHAR) + (opts.capture ? `(${analysis.safeOutput})` : analysis.safeOutput) : void 0;
          const open4 = tokens[token.tokensIndex];
          open4.type = "text";
          open4.value = literal;
          open4.output = safeOutput || utils.escapeRegex(literal);
          for (let i = token.tokensIndex + 1; i < tokens.length; i++) {
            tokens[i].value = "";
            tokens[i].output = "";
            delete tokens[i].suffix;
          }
          state.output = token.output + open4.output;
          state.backtrack = true;
          push({ type: "paren", extglob: true, value, output: "" });
          decrement("parens");
          return;
        }
        let output = token.close + (opts.capture ? ")" : "");
        let rest;
        if (token.type === "negate") {
          let extglobStar = star;
          if (token.inner && token.inner.length > 1 && token.inner.includes("/")) {
            extglobStar = globstar(opts);
          }
          if (extglobStar !== star || eos() || /^\)+$/.test(remaining())) {
            output = token.close = `)$))${extglobStar}`;
          }
          if (token.inner.includes("*") && (rest = remaining()) && /^\.[^\\/.]+$/.test(rest)) {
            const expression = parse(rest, { ...options, fastpaths: false }).output;
            output = token.close = `)${expression})${extglobStar})`;
          }
          if (token.prev.type === "bos") {
            state.negatedExtglob = true;
          }
        }
        push({ type: "paren", extglob: true, value, output });
        decrement("parens");
      };
      if (opts.fastpaths !== false && !/(^[*!]|[/()[\]{}"])/.test(input)) {
        let backslashes = false;
        let output = input.replace(REGEX_SPECIAL_CHARS_BACKREF, (m, esc, chars, first, rest, index) => {
          if (first === "\\") {
            backslashes = true;
            return m;
          }
          if (first === "?") {
            if (esc) {
              return esc + first + (rest ? QMARK.repeat(rest.length) : "");
            }
            if (index === 0) {
              return qmarkNoDot + (rest ? QMARK.repeat(rest.length) : "");
            }
            return QMARK.repeat(chars.length);
          }
          if (first === ".") {
            return DOT_LITERAL.repeat(chars.length);
          }
          if (first === "*") {
            if (esc) {
              return esc + first + (rest ? star : "");
            }
            return star;
          }
          return esc ? m : `\\${m}`;
        });
        if (backslashes === true) {
          if (opts.unescape === true) {
            output = output.replace(/\\/g, "");
          } else {
            output = output.replace(/\\+/g, (m) => {
              return m.length % 2 === 0 ? "\\\\" : m ? "\\" : "";
            });
          }
        }
        if (output === input && opts.contains === true) {
          state.output = input;
          return state;
        }
        state.output = utils.wrapOutput(output, state, options);
        return state;
      }
      while (!eos()) {
        value = advance();
        if (value === "\0") {
          continue;
        }
        if (value === "\\") {
          const next = peek();
          if (next === "/" && opts.bash !== true) {
            continue;
          }
          if (next === "." || next === ";") {
            continue;
          }
          if (!next) {
            value += "\\";
            push({ type: "text", value });
            continue;
          }
          const match = /^\\+/.exec(remaining());
          let slashes = 0;
          if (match && match[0].length > 2) {
            slashes = match[0].length;
            state.index += slashes;
            if (slashes % 2 !== 0) {
              value += "\\";
            }
          }
          if (opts.unescape === true) {
            value = advance();
          } else {
            value += advance();
          }
          if (state.brackets === 0) {
            push({ type: "text", value });
            continue;
          }
        }
        if (state.brackets > 0 && (value !== "]" || prev.value === "[" || prev.value === "[^")) {
          if (opts.posix !== false && value === ":") {
            const inner = prev.value.slice(1);
            if (inner.includes("[")) {
              prev.posix = true;
              if (inner.includes(":")) {
                const idx = prev.value.lastIndexOf("[");
                const pre = prev.value.slice(0, idx);
                const rest2 = prev.value.slice(idx + 2);
                const posix4 = POSIX_REGEX_SOURCE[rest2];
                if (posix4) {
                  prev.value = pre + posix4;
                  state.backtrack = true;
                  advance();
                  if (!bos.output && tokens.indexOf(prev) === 1) {
                    bos.output = ONE_CHAR;
                  }
                  continue;
                }
              }
            }
          }
          if (value === "[" && peek() !== ":" || value === "-" && peek() === "]") {
            value = `\\${value}`;
          }
          if (value === "]" && (prev.value === "[" || prev.value === "[^")) {
            value = `\\${value}`;
          }
          if (opts.posix === true && value === "!" && prev.value === "[") {
            value = "^";
          }
          prev.value += value;
          append({ value });
          continue;
        }
        if (state.quotes === 1 && value !== '"') {
          value = utils.escapeRegex(value);
          prev.value += value;
          append({ value });
          continue;
        }
        if (value === '"') {
          state.quotes = state.quotes === 1 ? 0 : 1;
          if (opts.keepQuotes === true) {
            push({ type: "text", value });
          }
          continue;
        }
        if (value === "(") {
          increment("parens");
          push({ type: "paren", value });
          continue;
        }
        if (value === ")") {
          if (state.parens === 0 && opts.strictBrackets === true) {
            throw new SyntaxError(syntaxError("opening", "("));
          }
          const extglob = extglobs[extglobs.length - 1];
          if (extglob && state.parens === extglob.parens + 1) {
            extglobClose(extglobs.pop());
            continue;
          }
          push({ type: "paren", value, output: state.parens ? ")" : "\\)" });
          decrement("parens");
          continue;
        }
        if (value === "[") {
          if (opts.nobracket === true || !remaining().includes("]")) {
            if (opts.nobracket !== true && opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("closing", "]"));
            }
            value = `\\${value}`;
          } else {
            increment("brackets");
          }
          push({ type: "bracket", value });
          continue;
        }
        if (value === "]") {
          if (opts.nobracket === true || prev && prev.type === "bracket" && prev.value.length === 1) {
            push({ type: "text", value, output: `\\${value}` });
            continue;
          }
          if (state.brackets === 0) {
            if (opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("opening", "["));
            }
            push({ type: "text", value, output: `\\${value}` });
            continue;
          }
          decrement("brackets");
          const prevValue = prev.value.slice(1);
          if (prev.posix !== true && prevValue[0] === "^" && !prevValue.includes("/")) {
            value = `/${value}`;
          }
          prev.value += value;
          append({ value });
          if (opts.literalBrackets === false || utils.hasRegexChars(prevValue)) {
            continue;
          }
          const escaped = utils.escapeRegex(prev.value);
          state.output = state.output.slice(0, -prev.value.length);
          if (opts.literalBrackets === true) {
            state.output += escaped;
            prev.value = escaped;
            continue;
          }
          prev.value = `(${capture}${escaped}|${prev.value})`;
          state.output += prev.value;
          continue;
        }
        if (value === "{" && opts.nobrace !== true) {
          increment("braces");
          const open4 = {
            type: "brace",
            value,
            output: "(",
            outputIndex: state.output.length,
            tokensIndex: state.tokens.length
          };
          braces.push(open4);
          push(open4);
          continue;
        }
        if (value === "}") {
          const brace = braces[braces.length - 1];
          if (opts.nobrace === true || !brace) {
            push({ type: "text", value, output: value });
            continue;
          }
          let output = ")";
          if (brace.dots === true) {
            const arr = tokens.slice();
            const range = [];
            for (let i = arr.length - 1; i >= 0; i--) {
              tokens.pop();
              if (arr[i].type === "brace") {
                break;
              }
              if (arr[i].type !== "dots") {
                range.unshift(arr[i].value);
              }
            }
            output = expandRange(range, opts);
            state.backtrack = true;
          }
          if (brace.comma !== true && brace.dots !== true) {
            const out = state.output.slice(0, brace.outputIndex);
            const toks = state.tokens.slice(brace.tokensIndex);
            brace.value = brace.output = "\\{";
            value = output = "\\}";
            state.output = out;
            for (const t of toks) {
              state.output += t.output || t.value;
            }
          }
          push({ type: "brace", value, output });
          decrement("braces");
          braces.pop();
          continue;
        }
        if (value === "|") {
          if (extglobs.length > 0) {
            extglobs[extglobs.length - 1].conditions++;
          }
          push({ type: "text", value });
          continue;
        }
        if (value === ",") {
          let output = value;
          const brace = braces[braces.length - 1];
          if (brace && stack[stack.length - 1] === "braces") {
            brace.comma = true;
            output = "|";
          }
          push({ type: "comma", value, output });
          continue;
        }
        if (value === "/") {
          if (prev.type === "dot" && state.index === state.start + 1) {
            state.start = state.index + 1;
            state.consumed = "";
            state.output = "";
            tokens.pop();
            prev = bos;
            continue;
          }
          push({ type: "slash", value, output: SLASH_LITERAL });
          continue;
        }
        if (value === ".") {
          if (state.braces > 0 && prev.type === "dot") {
            if (prev.value === ".") prev.output = DOT_LITERAL;
            const brace = braces[braces.length - 1];
            prev.type = "dots";
            prev.output += value;
            prev.value += value;
            brace.dots = true;
            continue;
          }
          if (state.braces + state.parens === 0 && prev.type !== "bos" && prev.type !== "slash") {
            push({ type: "text", value, output: DOT_LITERAL });
            continue;
          }
          push({ type: "dot", value, output: DOT_LITERAL });
          continue;
        }
        if (value === "?") {
          const isGroup = prev && prev.value === "(";
          if (!isGroup && opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("qmark", value);
            continue;
          }
          if (prev && prev.type === "paren") {
            const next = peek();
            let output = value;
            if (prev.value === "(" && !/[!=<:]/.test(next) || next === "<" && !/<([!=]|\w+>)/.test(remaining())) {
              output = `\\${value}`;
            }
            push({ type: "text", value, output });
            continue;
          }
          if (opts.dot !== true && (prev.type === "slash" || prev.type === "bos")) {
            push({ type: "qmark", value, output: QMARK_NO_DOT });
            continue;
          }
          push({ type: "qmark", value, output: QMARK });
          continue;
        }
        if (value === "!") {
          if (opts.noextglob !== true && peek() === "(") {
            if (peek(2) !== "?" || !/[!=<:]/.test(peek(3))) {
              extglobOpen("negate", value);
              continue;
            }
          }
          if (opts.nonegate !== true && state.index === 0) {
            negate();
            continue;
          }
        }
        if (value === "+") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("plus", value);
            continue;
          }
          if (prev && prev.value === "(" || opts.regex === false) {
            push({ type: "plus", value, output: PLUS_LITERAL });
            continue;
          }
          if (prev && (prev.type === "bracket" || prev.type === "paren" || prev.type === "brace") || state.parens > 0) {
            push({ type: "plus", value });
            continue;
          }
          push({ type: "plus", value: PLUS_LITERAL });
          continue;
        }
        if (value === "@") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            push({ type: "at", extglob: true, value, output: "" });
            continue;
          }
          push({ type: "text", value });
          continue;
        }
        if (value !== "*") {
          if (value === "$" || value === "^") {
            value = `\\${value}`;
          }
          const match = REGEX_NON_SPECIAL_CHARS.exec(remaining());
          if (match) {
            value += match[0];
            state.index += match[0].length;
          }
          push({ type: "text", value });
          continue;
        }
        if (prev && (prev.type === "globstar" || prev.star === true)) {
          prev.type = "star";
          prev.star = true;
          prev.value += value;
          prev.output = star;
          state.backtrack = true;
          state.globstar = true;
          consume(value);
          continue;
        }
        let rest = remaining();
        if (opts.noextglob !== true && /^\([^?]/.test(rest)) {
          extglobOpen("star", value);
          continue;
        }
        if (prev.type === "star") {
          if (opts.noglobstar === true) {
            consume(value);
            continue;
          }
          const prior = prev.prev;
          const before = prior.prev;
          const isStart = prior.type === "slash" || prior.type === "bos";
          const afterStar = before && (before.type === "star" || before.type === "globstar");
          if (opts.bash === true && (!isStart || rest[0] && rest[0] !== "/")) {
            push({ type: "star", value, output: "" });
            continue;
          }
          const isBrace = state.braces > 0 && (prior.type === "comma" || prior.type === "brace");
          const isExtglob = extglobs.length && (prior.type === "pipe" || prior.type === "paren");
          if (!isStart && prior.type !== "paren" && !isBrace && !isExtglob) {
            push({ type: "star", value, output: "" });
            continue;
          }
          while (rest.slice(0, 3) === "/**") {
            const after = input[state.index + 4];
            if (after && after !== "/") {
              break;
            }
            rest = rest.slice(3);
            consume("/**", 3);
          }
          const isEnd = eos() || state.parens > 0 && rest === ")".repeat(state.parens) && !extglobs.some((extglob) => extglob.type === "negate");
          if (prior.type === "bos" && eos()) {
            prev.type = "globstar";
            prev.value += value;
            prev.output = globstar(opts);
            state.output = prev.output;
            state.globstar = true;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && !afterStar && isEnd) {
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = globstar(opts) + (opts.strictSlashes ? ")" : "|$)");
            prev.value += value;
            state.globstar = true;
            state.output += prior.output + prev.output;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && rest[0] === "/") {
            const end = rest[1] !== void 0 ? "|$" : "";
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = `${globstar(opts)}${SLASH_LITERAL}|${SLASH_LITERAL}${end})`;
            prev.value += value;
            state.output += prior.output + prev.output;
            state.globstar = true;
            consume(value + advance());
            push({ type: "slash", value: "/", output: "" });
            continue;
          }
          if (prior.type === "bos" && rest[0] === "/") {
            prev.type = "globstar";
            prev.value += value;
            prev.output = `(?:^|${SLASH_LITERAL}|${globstar(opts)}${SLASH_LITERAL})`;
            state.output = prev.output;
            state.globstar = true;
            consume(value + advance());
            push({ type: "slash", value: "/", output: "" });
            continue;
          }
          state.output = state.output.slice(0, -prev.output.length);
          prev.type = "globstar";
          prev.output = globstar(opts);
          prev.value += value;
          state.output += prev.output;
          state.globstar = true;
          consume(value);
          continue;
        }
        const token = { type: "star", value, output: star };
        if (opts.bash === true) {
          token.output = ".*?";
          if (prev.type === "bos" || prev.type === "slash") {
            token.output = nodot + token.output;
          }
          push(token);
          continue;
        }
        if (prev && (prev.type === "bracket" || prev.type === "paren") && opts.regex === true) {
          token.output = value;
          push(token);
          continue;
        }
        if (state.index === state.start || prev.type === "slash" || prev.type === "dot") {
          if (prev.type === "dot") {
            state.output += NO_DOT_SLASH;
            prev.output += NO_DOT_SLASH;
          } else if (opts.dot === true) {
            state.output += NO_DOTS_SLASH;
            prev.output += NO_DOTS_SLASH;
          } else {
            state.output += nodot;
            prev.output += nodot;
          }
          if (peek() !== "*") {
            state.output += ONE_CHAR;
            prev.output += ONE_CHAR;
          }
        }
        push(token);
      }
      while (state.brackets > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "]"));
        state.output = utils.escapeLast(state.output, "[");
        decrement("brackets");
      }
      while (state.parens > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", ")"));
        state.output = utils.escapeLast(state.output, "(");
        decrement("parens");
      }
      while (state.braces > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "}"));
        state.output = utils.escapeLast(state.output, "{");
        decrement("braces");
      }
      if (opts.strictSlashes !== true && (prev.type === "star" || prev.type === "bracket")) {
        push({ type: "maybe_slash", value: "", output: `${SLASH_LITERAL}?` });
      }
      if (state.backtrack === true) {
        state.output = "";
        for (const token of state.tokens) {
          state.output += token.output != null ? token.output : token.value;
          if (token.suffix) {
            state.output += token.suffix;
          }
        }
      }
      return state;
    };
    parse.fastpaths = (input, options) => {
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      const len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      input = REPLACEMENTS[input] || input;
      const {
        DOT_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOTS,
        NO_DOTS_SLASH,
        STAR,
        START_ANCHOR
      } = constants3.globChars(opts.windows);
      const nodot = opts.dot ? NO_DOTS : NO_DOT;
      const slashDot = opts.dot ? NO_DOTS_SLASH : NO_DOT;
      const capture = opts.capture ? "" : "?:";
      const state = { negated: false, prefix: "" };
      let star = opts.bash === true ? ".*?" : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      const globstar = (opts2) => {
        if (opts2.noglobstar === true) return star;
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const create = (str) => {
        switch (str) {
          case "*":
            return `${nodot}${ONE_CHAR}${star}`;
          case ".*":
            return `${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*.*":
            return `${nodot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*/*":
            return `${nodot}${star}${SLASH_LITERAL}${ONE_CHAR}${slashDot}${star}`;
          case "**":
            return nodot + globstar(opts);
          case "**/*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${ONE_CHAR}${star}`;
          case "**/*.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "**/.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${DOT_LITERAL}${ONE_CHAR}${star}`;
          default: {
            const match = /^(.*?)\.(\w+)$/.exec(str);
            if (!match) return;
            const source2 = create(match[1]);
            if (!source2) return;
            return source2 + DOT_LITERAL + match[2];
          }
        }
      };
      const output = utils.removePrefix(input, state);
      let source = create(output);
      if (source && opts.strictSlashes !== true) {
        source += `${SLASH_LITERAL}?`;
      }
      return source;
    };
    module.exports = parse;
  }
});

// ../../node_modules/.pnpm/picomatch@4.0.7/node_modules/picomatch/lib/picomatch.js
var require_picomatch = __commonJS({
  "../../node_modules/.pnpm/picomatch@4.0.7/node_modules/picomatch/lib/picomatch.js"(exports, module) {
    "use strict";
    var scan = require_scan();
    var parse = require_parse();
    var utils = require_utils();
    var constants3 = require_constants();
    var isObject = (val) => val && typeof val === "object" && !Array.isArray(val);
    var picomatch2 = (glob, options, returnState = false) => {
      if (Array.isArray(glob)) {
        const fns = glob.map((input) => picomatch2(input, options, returnState));
        const arrayMatcher = (str) => {
          for (const isMatch of fns) {
            const state2 = isMatch(str);
            if (state2) return state2;
          }
          return false;
        };
        return arrayMatcher;
      }
      const isState = isObject(glob) && glob.tokens && glob.input;
      if (glob === "" || typeof glob !== "string" && !isState) {
        throw new TypeError("Expected pattern to be a non-empty string");
      }
      const opts = options || {};
      const posix4 = opts.windows;
      const regex = isState ? picomatch2.compileRe(glob, options) : picomatch2.makeRe(glob, options, false, true);
      const state = regex.state;
      delete regex.state;
      let isIgnored = () => false;
      if (opts.ignore) {
        const ignoreOpts = { ...options, ignore: null, onMatch: null, onResult: null };
        isIgnored = picomatch2(opts.ignore, ignoreOpts, returnState);
      }
      const matcher = (input, returnObject = false) => {
        const { isMatch, match, output } = picomatch2.test(input, regex, options, { glob, posix: posix4 });
        const result = { glob, state, regex, posix: posix4, input, output, match, isMatch };
        if (typeof opts.onResult === "function") {
          opts.onResult(result);
        }
        if (isMatch === false) {
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (isIgnored(input)) {
          if (typeof opts.onIgnore === "function") {
            opts.onIgnore(result);
          }
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (typeof opts.onMatch === "function") {
          opts.onMatch(result);
        }
        return returnObject ? result : true;
      };
      if (returnState) {
        matcher.state = state;
      }
      return matcher;
    };
    picomatch2.test = (input, regex, options, { glob, posix: posix4 } = {}) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected input to be a string");
      }
      if (input === "") {
        return { isMatch: false, output: "" };
      }
      const opts = options || {};
      const format = opts.format || (posix4 ? utils.toPosixSlashes : null);
      let match = input === glob;
      let output = match && format ? format(input) : input;
      if (match === false) {
        output = format ? format(input) : input;
        match = output === glob;
      }
      if (match === false || opts.capture === true) {
        if (opts.matchBase === true || opts.basename === true) {
          match = picomatch2.matchBase(input, regex, options, posix4);
        } else {
          match = regex.exec(output);
        }
      }
      return { isMatch: Boolean(match), match, output };
    };
    picomatch2.matchBase = (input, glob, options, posix4 = options && options.windows) => {
      const regex = glob instanceof RegExp ? glob : picomatch2.makeRe(glob, options);
      return regex.test(utils.basename(input, { windows: posix4 }));
    };
    picomatch2.isMatch = (str, patterns, options) => picomatch2(patterns, options)(str);
    picomatch2.parse = (pattern, options) => {
      if (Array.isArray(pattern)) return pattern.map((p) => picomatch2.parse(p, options));
      return parse(pattern, { ...options, fastpaths: false });
    };
    picomatch2.scan = (input, options) => scan(input, options);
    picomatch2.compileRe = (state, options, returnOutput = false, returnState = false) => {
      if (returnOutput === true) {
        return state.output;
      }
      const opts = options || {};
      const prepend = opts.contains ? "" : "^";
      const append = opts.contains ? "" : "$";
      let source = `${prepend}(?:${state.output})${append}`;
      if (state && state.negated === true) {
        source = `^(?!${source}).*$`;
      }
      const regex = picomatch2.toRegex(source, options);
      if (returnState === true) {
        regex.state = state;
      }
      return regex;
    };
    picomatch2.makeRe = (input, options = {}, returnOutput = false, returnState = false) => {
      if (!input || typeof input !== "string") {
        throw new TypeError("Expected a non-empty string");
      }
      let parsed = { negated: false, fastpaths: true };
      if (options.fastpaths !== false && (input[0] === "." || input[0] === "*")) {
        parsed.output = parse.fastpaths(input, options);
      }
      if (!parsed.output) {
        parsed = parse(input, options);
      }
      return picomatch2.compileRe(parsed, options, returnOutput, returnState);
    };
    picomatch2.toRegex = (source, options) => {
      try {
        const opts = options || {};
        return new RegExp(source, opts.flags || (opts.nocase ? "i" : ""));
      } catch (err) {
        if (options && options.debug === true) throw err;
        return /$^/;
      }
    };
    picomatch2.constants = constants3;
    module.exports = picomatch2;
  }
});

// ../../node_modules/.pnpm/picomatch@4.0.7/node_modules/picomatch/index.js
var require_picomatch2 = __commonJS({
  "../../node_modules/.pnpm/picomatch@4.0.7/node_modules/picomatch/index.js"(exports, module) {
    "use strict";
    var pico = require_picomatch();
    var utils = require_utils();
    function picomatch2(glob, options, returnState = false) {
      if (options && (options.windows === null || options.windows === void 0)) {
        options = { ...options, windows: utils.isWindows() };
      }
      return pico(glob, options, returnState);
    }
    Object.assign(picomatch2, pico);
    module.exports = picomatch2;
  }
});

// src/index.ts
import { setFlagsFromString } from "node:v8";

// ../../node_modules/.pnpm/@actions+core@3.0.1/node_modules/@actions/core/lib/command.js
import * as os from "os";

// ../../node_modules/.pnpm/@actions+core@3.0.1/node_modules/@actions/core/lib/utils.js
function toCommandValue(input) {
  if (input === null || input === void 0) {
    return "";
  } else if (typeof input === "string" || input instanceof String) {
    return input;
  }
  return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
  if (!Object.keys(annotationProperties).length) {
    return {};
  }
  return {
    title: annotationProperties.title,
    file: annotationProperties.file,
    line: annotationProperties.startLine,
    endLine: annotationProperties.endLine,
    col: annotationProperties.startColumn,
    endColumn: annotationProperties.endColumn
  };
}

// ../../node_modules/.pnpm/@actions+core@3.0.1/node_modules/@actions/core/lib/command.js
function issueCommand(command, properties, message) {
  const cmd = new Command(command, properties, message);
  process.stdout.write(cmd.toString() + os.EOL);
}
var CMD_STRING = "::";
var Command = class {
  constructor(command, properties, message) {
    if (!command) {
      command = "missing.command";
    }
    this.command = command;
    this.properties = properties;
    this.message = message;
  }
  toString() {
    let cmdStr = CMD_STRING + this.command;
    if (this.properties && Object.keys(this.properties).length > 0) {
      cmdStr += " ";
      let first = true;
      for (const key in this.properties) {
        if (this.properties.hasOwnProperty(key)) {
          const val = this.properties[key];
          if (val) {
            if (first) {
              first = false;
            } else {
              cmdStr += ",";
            }
            cmdStr += `${key}=${escapeProperty(val)}`;
          }
        }
      }
    }
    cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
    return cmdStr;
  }
};
function escapeData(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// ../../node_modules/.pnpm/@actions+core@3.0.1/node_modules/@actions/core/lib/file-command.js
import * as crypto from "crypto";
import * as fs from "fs";
import * as os2 from "os";
function issueFileCommand(command, message) {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) {
    throw new Error(`Unable to find environment variable for file command ${command}`);
  }
  if (!fs.existsSync(filePath)) {
    throw new Error(`Missing file at path: ${filePath}`);
  }
  fs.appendFileSync(filePath, `${toCommandValue(message)}${os2.EOL}`, {
    encoding: "utf8"
  });
}
function prepareKeyValueMessage(key, value) {
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  const convertedValue = toCommandValue(value);
  if (key.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (convertedValue.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  return `${key}<<${delimiter}${os2.EOL}${convertedValue}${os2.EOL}${delimiter}`;
}

// ../../node_modules/.pnpm/@actions+core@3.0.1/node_modules/@actions/core/lib/core.js
import * as os4 from "os";

// ../../node_modules/.pnpm/@actions+core@3.0.1/node_modules/@actions/core/lib/summary.js
import { EOL as EOL3 } from "os";
import { constants, promises } from "fs";
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve4) {
      resolve4(value);
    });
  }
  return new (P || (P = Promise))(function(resolve4, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve4(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { access, appendFile, writeFile } = promises;
var SUMMARY_ENV_VAR = "GITHUB_STEP_SUMMARY";
var Summary = class {
  constructor() {
    this._buffer = "";
  }
  /**
   * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
   * Also checks r/w permissions.
   *
   * @returns step summary file path
   */
  filePath() {
    return __awaiter(this, void 0, void 0, function* () {
      if (this._filePath) {
        return this._filePath;
      }
      const pathFromEnv = process.env[SUMMARY_ENV_VAR];
      if (!pathFromEnv) {
        throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
      }
      try {
        yield access(pathFromEnv, constants.R_OK | constants.W_OK);
      } catch (_a) {
        throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
      }
      this._filePath = pathFromEnv;
      return this._filePath;
    });
  }
  /**
   * Wraps content in an HTML tag, adding any HTML attributes
   *
   * @param {string} tag HTML tag to wrap
   * @param {string | null} content content within the tag
   * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
   *
   * @returns {string} content wrapped in HTML element
   */
  wrap(tag, content, attrs = {}) {
    const htmlAttrs = Object.entries(attrs).map(([key, value]) => ` ${key}="${value}"`).join("");
    if (!content) {
      return `<${tag}${htmlAttrs}>`;
    }
    return `<${tag}${htmlAttrs}>${content}</${tag}>`;
  }
  /**
   * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
   *
   * @param {SummaryWriteOptions} [options] (optional) options for write operation
   *
   * @returns {Promise<Summary>} summary instance
   */
  write(options) {
    return __awaiter(this, void 0, void 0, function* () {
      const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
      const filePath = yield this.filePath();
      const writeFunc = overwrite ? writeFile : appendFile;
      yield writeFunc(filePath, this._buffer, { encoding: "utf8" });
      return this.emptyBuffer();
    });
  }
  /**
   * Clears the summary buffer and wipes the summary file
   *
   * @returns {Summary} summary instance
   */
  clear() {
    return __awaiter(this, void 0, void 0, function* () {
      return this.emptyBuffer().write({ overwrite: true });
    });
  }
  /**
   * Returns the current summary buffer as a string
   *
   * @returns {string} string of summary buffer
   */
  stringify() {
    return this._buffer;
  }
  /**
   * If the summary buffer is empty
   *
   * @returns {boolen} true if the buffer is empty
   */
  isEmptyBuffer() {
    return this._buffer.length === 0;
  }
  /**
   * Resets the summary buffer without writing to summary file
   *
   * @returns {Summary} summary instance
   */
  emptyBuffer() {
    this._buffer = "";
    return this;
  }
  /**
   * Adds raw text to the summary buffer
   *
   * @param {string} text content to add
   * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
   *
   * @returns {Summary} summary instance
   */
  addRaw(text, addEOL = false) {
    this._buffer += text;
    return addEOL ? this.addEOL() : this;
  }
  /**
   * Adds the operating system-specific end-of-line marker to the buffer
   *
   * @returns {Summary} summary instance
   */
  addEOL() {
    return this.addRaw(EOL3);
  }
  /**
   * Adds an HTML codeblock to the summary buffer
   *
   * @param {string} code content to render within fenced code block
   * @param {string} lang (optional) language to syntax highlight code
   *
   * @returns {Summary} summary instance
   */
  addCodeBlock(code, lang) {
    const attrs = Object.assign({}, lang && { lang });
    const element = this.wrap("pre", this.wrap("code", code), attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML list to the summary buffer
   *
   * @param {string[]} items list of items to render
   * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
   *
   * @returns {Summary} summary instance
   */
  addList(items, ordered = false) {
    const tag = ordered ? "ol" : "ul";
    const listItems = items.map((item) => this.wrap("li", item)).join("");
    const element = this.wrap(tag, listItems);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML table to the summary buffer
   *
   * @param {SummaryTableCell[]} rows table rows
   *
   * @returns {Summary} summary instance
   */
  addTable(rows) {
    const tableBody = rows.map((row2) => {
      const cells = row2.map((cell) => {
        if (typeof cell === "string") {
          return this.wrap("td", cell);
        }
        const { header, data, colspan, rowspan } = cell;
        const tag = header ? "th" : "td";
        const attrs = Object.assign(Object.assign({}, colspan && { colspan }), rowspan && { rowspan });
        return this.wrap(tag, data, attrs);
      }).join("");
      return this.wrap("tr", cells);
    }).join("");
    const element = this.wrap("table", tableBody);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds a collapsable HTML details element to the summary buffer
   *
   * @param {string} label text for the closed state
   * @param {string} content collapsable content
   *
   * @returns {Summary} summary instance
   */
  addDetails(label, content) {
    const element = this.wrap("details", this.wrap("summary", label) + content);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML image tag to the summary buffer
   *
   * @param {string} src path to the image you to embed
   * @param {string} alt text description of the image
   * @param {SummaryImageOptions} options (optional) addition image attributes
   *
   * @returns {Summary} summary instance
   */
  addImage(src, alt, options) {
    const { width, height } = options || {};
    const attrs = Object.assign(Object.assign({}, width && { width }), height && { height });
    const element = this.wrap("img", null, Object.assign({ src, alt }, attrs));
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML section heading element
   *
   * @param {string} text heading text
   * @param {number | string} [level=1] (optional) the heading level, default: 1
   *
   * @returns {Summary} summary instance
   */
  addHeading(text, level) {
    const tag = `h${level}`;
    const allowedTag = ["h1", "h2", "h3", "h4", "h5", "h6"].includes(tag) ? tag : "h1";
    const element = this.wrap(allowedTag, text);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML thematic break (<hr>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addSeparator() {
    const element = this.wrap("hr", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML line break (<br>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addBreak() {
    const element = this.wrap("br", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML blockquote to the summary buffer
   *
   * @param {string} text quote text
   * @param {string} cite (optional) citation url
   *
   * @returns {Summary} summary instance
   */
  addQuote(text, cite) {
    const attrs = Object.assign({}, cite && { cite });
    const element = this.wrap("blockquote", text, attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML anchor tag to the summary buffer
   *
   * @param {string} text link text/content
   * @param {string} href hyperlink
   *
   * @returns {Summary} summary instance
   */
  addLink(text, href) {
    const element = this.wrap("a", text, { href });
    return this.addRaw(element).addEOL();
  }
};
var _summary = new Summary();
var summary = _summary;

// ../../node_modules/.pnpm/@actions+core@3.0.1/node_modules/@actions/core/lib/platform.js
import os3 from "os";

// ../../node_modules/.pnpm/@actions+io@3.0.2/node_modules/@actions/io/lib/io-util.js
import * as fs2 from "fs";
var { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs2.promises;
var IS_WINDOWS = process.platform === "win32";
var READONLY = fs2.constants.O_RDONLY;

// ../../node_modules/.pnpm/@actions+exec@3.0.0/node_modules/@actions/exec/lib/toolrunner.js
var IS_WINDOWS2 = process.platform === "win32";

// ../../node_modules/.pnpm/@actions+core@3.0.1/node_modules/@actions/core/lib/platform.js
var platform = os3.platform();
var arch = os3.arch();

// ../../node_modules/.pnpm/@actions+core@3.0.1/node_modules/@actions/core/lib/core.js
var ExitCode;
(function(ExitCode2) {
  ExitCode2[ExitCode2["Success"] = 0] = "Success";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function setSecret(secret) {
  issueCommand("add-mask", {}, secret);
}
function getInput(name, options) {
  const val = process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "";
  if (options && options.required && !val) {
    throw new Error(`Input required and not supplied: ${name}`);
  }
  if (options && options.trimWhitespace === false) {
    return val;
  }
  return val.trim();
}
function setOutput(name, value) {
  const filePath = process.env["GITHUB_OUTPUT"] || "";
  if (filePath) {
    return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  }
  process.stdout.write(os4.EOL);
  issueCommand("set-output", { name }, toCommandValue(value));
}
function setFailed(message) {
  process.exitCode = ExitCode.Failure;
  error(message);
}
function error(message, properties = {}) {
  issueCommand("error", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function warning(message, properties = {}) {
  issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function notice(message, properties = {}) {
  issueCommand("notice", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function info(message) {
  process.stdout.write(message + os4.EOL);
}

// ../core/dist/chunk-input.js
import { open as open2 } from "node:fs/promises";
import { win32 } from "node:path";
import { types } from "node:util";
var dataUrlPattern = /^data:([^,]*?)(;base64)?,/i;
function sniffFormat(bytes2) {
  const startsWith = (signature, at = 0) => bytes2.length >= at + signature.length && signature.every((value, i) => bytes2[at + i] === value);
  if (startsWith([
    137,
    80,
    78,
    71,
    13,
    10,
    26,
    10
  ])) return "png";
  if (startsWith([
    255,
    216,
    255
  ])) return "jpeg";
  if (startsWith([
    82,
    73,
    70,
    70
  ]) && startsWith([
    87,
    69,
    66,
    80
  ], 8)) return "webp";
  if (isBmp(bytes2)) return "bmp";
  return null;
}
async function readInput(input, options = {}) {
  const fileName = inputName(input, options.fileName);
  try {
    const bytes2 = await readBytes(input);
    return {
      bytes: bytes2,
      format: checkBytes(bytes2, fileName),
      ...fileName === void 0 ? {} : { fileName }
    };
  } catch (error2) {
    throw withFile(error2, fileName);
  }
}
async function checkDimensions(read) {
  try {
    const { width, height } = await readDimensions(read.bytes, read.format);
    if (width > limits.maxSide) throw imageTooWide(width);
    if (height > limits.maxSide) throw imageTooTall(height);
    return {
      ...read,
      width,
      height
    };
  } catch (error2) {
    throw withFile(error2, read.fileName);
  }
}
async function decodeInput(input) {
  try {
    if (input.format === "bmp") return decodeBmp(input.bytes);
    return await decodeWithSharp(input.bytes);
  } catch (error2) {
    throw withFile(isRembgError(error2) ? error2 : invalidSignature(), input.fileName);
  }
}
var isPath = (input) => typeof input === "string" && !dataUrlPattern.test(input);
function inputName(input, fileName) {
  return fileName ?? (isPath(input) ? input : void 0);
}
async function readBytes(input) {
  if (input === "") throw noImageProvided();
  if (typeof input === "string") return isPath(input) ? readFileChecked(input) : decodeDataUrl(input);
  if (Buffer.isBuffer(input)) return input;
  if (ArrayBuffer.isView(input)) return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (types.isAnyArrayBuffer(input)) return Buffer.from(input);
  if (typeof input === "object" && input !== null && typeof input.base64 === "string") return dataUrlPattern.test(input.base64) ? decodeDataUrl(input.base64) : Buffer.from(input.base64, "base64");
  throw noImageProvided();
}
async function readFileChecked(path) {
  const handle = await open2(path, "r").catch((error2) => {
    throw error2.code === "ENOENT" || error2.code === "ENOTDIR" ? fileNotFound(path) : error2;
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw fileNotFound(path);
    if (stats.size > limits.maxFileBytes) throw fileTooLarge(stats.size);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
var fileNotFound = (path) => new RembgError(`File not found: ${path}`, {
  status: 400,
  code: "FILE_NOT_FOUND",
  field: "image"
});
function decodeDataUrl(url) {
  const match = dataUrlPattern.exec(url);
  const payload = url.slice(match?.[0].length ?? 0);
  return match?.[2] === void 0 ? percentDecode(payload) : Buffer.from(payload, "base64");
}
function percentDecode(text) {
  const bytes2 = Buffer.from(text, "utf8");
  const out = Buffer.alloc(bytes2.length);
  let length = 0;
  for (let i = 0; i < bytes2.length; i++) {
    const hex = bytes2[i] === 37 ? bytes2.toString("latin1", i + 1, i + 3) : "";
    if (/^[0-9a-f]{2}$/i.test(hex)) {
      out[length++] = Number.parseInt(hex, 16);
      i += 2;
    } else out[length++] = bytes2[i] ?? 0;
  }
  return out.subarray(0, length);
}
function checkBytes(bytes2, fileName) {
  if (bytes2.length === 0) throw emptyFile();
  if (bytes2.length > limits.maxFileBytes) throw fileTooLarge(bytes2.length);
  const extension = fileName === void 0 ? "" : win32.extname(fileName).toLowerCase();
  if (extension !== "" && !inputExtensions.includes(extension.slice(1))) throw unsupportedFileType(extension);
  const format = sniffFormat(bytes2);
  if (format === null) throw invalidSignature();
  return format;
}
async function readDimensions(bytes2, format) {
  if (format === "bmp") return readBmpSize(bytes2);
  return (await loadSharp()(bytes2).metadata().catch(() => {
    throw invalidSignature();
  })).autoOrient;
}
async function decodeWithSharp(bytes2) {
  const { data, info: info2 } = await loadSharp()(bytes2, {
    failOn: "error",
    autoOrient: true
  }).toColourspace("srgb").raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
  if (info2.channels !== 3 && info2.channels !== 4) throw invalidSignature();
  return {
    data,
    width: info2.width,
    height: info2.height,
    channels: info2.channels
  };
}

// ../core/dist/chunk-usage.js
var import_bytes = __toESM(require_bytes(), 1);
var import_ms = __toESM(require_ms(), 1);
var import_color_name = __toESM(require_color_name(), 1);
import { readFile, readdir as readdir2, rm as rm2, stat as stat2, utimes } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { existsSync as existsSync2 } from "node:fs";
import { createHmac, randomBytes } from "node:crypto";
import { homedir } from "node:os";

// ../../node_modules/.pnpm/image-size@2.1.0/node_modules/image-size/dist/esm/types/utils.js
var decoder = new TextDecoder();
var toUTF8String = (input, start = 0, end = input.length) => decoder.decode(input.slice(start, end));
var toHexString = (input, start = 0, end = input.length) => input.slice(start, end).reduce((memo, i) => memo + `0${i.toString(16)}`.slice(-2), "");
var getView = (input, offset) => new DataView(input.buffer, input.byteOffset + offset);
var readInt16LE = (input, offset = 0) => getView(input, offset).getInt16(0, true);
var readUInt16BE = (input, offset = 0) => getView(input, offset).getUint16(0, false);
var readUInt16LE = (input, offset = 0) => getView(input, offset).getUint16(0, true);
var readUInt24LE = (input, offset = 0) => {
  const view2 = getView(input, offset);
  return view2.getUint16(0, true) + (view2.getUint8(2) << 16);
};
var readUInt32BE = (input, offset = 0) => getView(input, offset).getUint32(0, false);
var readUInt32LE = (input, offset = 0) => getView(input, offset).getUint32(0, true);
var methods = {
  readUInt16BE,
  readUInt16LE,
  readUInt32BE,
  readUInt32LE
};
function readUInt(input, bits, offset = 0, isBigEndian = false) {
  const endian = isBigEndian ? "BE" : "LE";
  const methodName = `readUInt${bits}${endian}`;
  return methods[methodName](input, offset);
}

// ../../node_modules/.pnpm/image-size@2.1.0/node_modules/image-size/dist/esm/types/jpg.js
var EXIF_MARKER = "45786966";
var APP1_DATA_SIZE_BYTES = 2;
var EXIF_HEADER_BYTES = 6;
var TIFF_BYTE_ALIGN_BYTES = 2;
var BIG_ENDIAN_BYTE_ALIGN = "4d4d";
var LITTLE_ENDIAN_BYTE_ALIGN = "4949";
var IDF_ENTRY_BYTES = 12;
var NUM_DIRECTORY_ENTRIES_BYTES = 2;
function isEXIF(input) {
  return toHexString(input, 2, 6) === EXIF_MARKER;
}
function extractSize(input, index) {
  return {
    height: readUInt16BE(input, index),
    width: readUInt16BE(input, index + 2)
  };
}
function extractOrientation(exifBlock, isBigEndian) {
  const idfOffset = 8;
  const offset = EXIF_HEADER_BYTES + idfOffset;
  const idfDirectoryEntries = readUInt(exifBlock, 16, offset, isBigEndian);
  for (let directoryEntryNumber = 0; directoryEntryNumber < idfDirectoryEntries; directoryEntryNumber++) {
    const start = offset + NUM_DIRECTORY_ENTRIES_BYTES + directoryEntryNumber * IDF_ENTRY_BYTES;
    const end = start + IDF_ENTRY_BYTES;
    if (start > exifBlock.length) {
      return;
    }
    const block = exifBlock.slice(start, end);
    const tagNumber = readUInt(block, 16, 0, isBigEndian);
    if (tagNumber === 274) {
      const dataFormat = readUInt(block, 16, 2, isBigEndian);
      if (dataFormat !== 3) {
        return;
      }
      const numberOfComponents = readUInt(block, 32, 4, isBigEndian);
      if (numberOfComponents !== 1) {
        return;
      }
      return readUInt(block, 16, 8, isBigEndian);
    }
  }
}
function validateExifBlock(input, index) {
  const exifBlock = input.slice(APP1_DATA_SIZE_BYTES, index);
  const byteAlign = toHexString(exifBlock, EXIF_HEADER_BYTES, EXIF_HEADER_BYTES + TIFF_BYTE_ALIGN_BYTES);
  const isBigEndian = byteAlign === BIG_ENDIAN_BYTE_ALIGN;
  const isLittleEndian = byteAlign === LITTLE_ENDIAN_BYTE_ALIGN;
  if (isBigEndian || isLittleEndian) {
    return extractOrientation(exifBlock, isBigEndian);
  }
}
function validateInput(input, index) {
  if (index > input.length) {
    throw new TypeError("Corrupt JPG, exceeded buffer limits");
  }
}
var JPG = {
  validate: (input) => toHexString(input, 0, 2) === "ffd8",
  calculate(_input) {
    let input = _input.slice(4);
    let orientation;
    let next;
    while (input.length) {
      const i = readUInt16BE(input, 0);
      validateInput(input, i);
      if (input[i] !== 255) {
        input = input.subarray(1);
        continue;
      }
      if (isEXIF(input)) {
        orientation = validateExifBlock(input, i);
      }
      next = input[i + 1];
      if (next === 192 || next === 193 || next === 194) {
        const size = extractSize(input, i + 5);
        if (!orientation) {
          return size;
        }
        return {
          height: size.height,
          orientation,
          width: size.width
        };
      }
      input = input.subarray(i + 2);
    }
    throw new TypeError("Invalid JPG, no size found");
  }
};

// ../../node_modules/.pnpm/image-size@2.1.0/node_modules/image-size/dist/esm/types/png.js
var pngSignature = "PNG\r\n\n";
var pngImageHeaderChunkName = "IHDR";
var pngFriedChunkName = "CgBI";
var PNG = {
  validate(input) {
    if (pngSignature === toUTF8String(input, 1, 8)) {
      let chunkName = toUTF8String(input, 12, 16);
      if (chunkName === pngFriedChunkName) {
        chunkName = toUTF8String(input, 28, 32);
      }
      if (chunkName !== pngImageHeaderChunkName) {
        throw new TypeError("Invalid PNG");
      }
      return true;
    }
    return false;
  },
  calculate(input) {
    if (toUTF8String(input, 12, 16) === pngFriedChunkName) {
      return {
        height: readUInt32BE(input, 36),
        width: readUInt32BE(input, 32)
      };
    }
    return {
      height: readUInt32BE(input, 20),
      width: readUInt32BE(input, 16)
    };
  }
};

// ../../node_modules/.pnpm/image-size@2.1.0/node_modules/image-size/dist/esm/types/webp.js
function calculateExtended(input) {
  return {
    height: 1 + readUInt24LE(input, 7),
    width: 1 + readUInt24LE(input, 4)
  };
}
function calculateLossless(input) {
  return {
    height: 1 + ((input[4] & 15) << 10 | input[3] << 2 | (input[2] & 192) >> 6),
    width: 1 + ((input[2] & 63) << 8 | input[1])
  };
}
function calculateLossy(input) {
  return {
    height: readInt16LE(input, 8) & 16383,
    width: readInt16LE(input, 6) & 16383
  };
}
var WEBP = {
  validate(input) {
    const riffHeader = "RIFF" === toUTF8String(input, 0, 4);
    const webpHeader = "WEBP" === toUTF8String(input, 8, 12);
    const vp8Header = "VP8" === toUTF8String(input, 12, 15);
    return riffHeader && webpHeader && vp8Header;
  },
  calculate(_input) {
    const chunkHeader = toUTF8String(_input, 12, 16);
    const input = _input.slice(20, 30);
    if (chunkHeader === "VP8X") {
      const extendedHeader = input[0];
      const validStart = (extendedHeader & 192) === 0;
      const validEnd = (extendedHeader & 1) === 0;
      if (validStart && validEnd) {
        return calculateExtended(input);
      }
      throw new TypeError("Invalid WebP");
    }
    if (chunkHeader === "VP8 " && input[0] !== 47) {
      return calculateLossy(input);
    }
    const signature = toHexString(input, 3, 6);
    if (chunkHeader === "VP8L" && signature !== "9d012a") {
      return calculateLossless(input);
    }
    throw new TypeError("Invalid WebP");
  }
};

// ../core/dist/chunk-usage.js
var entryName = /^[0-9a-f]{64}\.[a-z]+$/;
var kindFolders = {
  matte: "mattes",
  output: "outputs"
};
async function listCacheEntries(dir) {
  const entries = [];
  for (const kind of ["matte", "output"]) for (const path of await entryPaths(join(dir, kindFolders[kind]))) {
    const facts = await stat2(path).catch(() => void 0);
    if (facts?.isFile()) entries.push({
      path,
      kind,
      size: facts.size,
      usedAt: facts.mtimeMs
    });
  }
  return entries.sort((a, b) => a.usedAt - b.usedAt);
}
async function entryPaths(folder) {
  try {
    return (await readdir2(folder, {
      recursive: true,
      withFileTypes: true
    })).filter((entry) => entryName.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
  } catch (error2) {
    if (error2.code === "ENOENT") return [];
    throw error2;
  }
}
async function pruneEntries(entries, options) {
  const { maxSize = Number.POSITIVE_INFINITY, olderThan = Number.POSITIVE_INFINITY, now = Date.now() } = options;
  let size = total(entries).size;
  const removed = [];
  for (const entry of entries) {
    if (now - entry.usedAt <= olderThan && size <= maxSize) break;
    await removeEntry(entry.path);
    removed.push(entry);
    size -= entry.size;
  }
  return {
    removed: total(removed),
    kept: total(entries.slice(removed.length))
  };
}
async function removeEntry(path) {
  try {
    await rm2(path, { force: true });
  } catch (error2) {
    if (!["EBUSY", "EPERM"].includes(error2.code ?? "")) throw error2;
  }
}
var sizePattern = /^\s*\d+(\.\d+)?\s*(b|kb|mb|gb|tb|pb)?\s*$/i;
function total(entries) {
  return {
    entries: entries.length,
    size: entries.reduce((sum, entry) => sum + entry.size, 0)
  };
}
function parseCacheSize(field, raw) {
  const value = typeof raw === "number" ? raw : sizePattern.test(raw) ? import_bytes.default.parse(raw) : null;
  if (value === null || !Number.isFinite(value) || value < 0) throw new RembgError(`'${field}' must be a size such as 500MB or 2GB, got: '${raw}'`, {
    status: 400,
    code: "INVALID_SIZE",
    field
  });
  return Math.floor(value);
}
var Limiter = class {
  active = 0;
  waiters = [];
  idleWaiters = [];
  constructor(limit) {
    this.limit = limit;
  }
  /** Tasks running or waiting. */
  get pending() {
    return this.active + this.waiters.length;
  }
  /** Tasks running. */
  get running() {
    return this.active;
  }
  /** Tasks waiting for a slot. */
  get waiting() {
    return this.waiters.length;
  }
  /**
  * Runs `task` once a slot is free. A `signal` that aborts while the task still waits takes it out of the line (it
  * never runs) and rejects with the signal's reason; once running, the task itself decides what an abort means.
  */
  async run(task, signal) {
    signal?.throwIfAborted();
    if (this.active < this.limit) this.active++;
    else await this.wait(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }
  /** Resolves once no task is running or waiting. */
  idle() {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve4) => this.idleWaiters.push(resolve4));
  }
  wait(signal) {
    return new Promise((resolve4, reject) => {
      const waiter = {
        start: () => {
          signal?.removeEventListener("abort", waiter.leave);
          resolve4();
        },
        leave: () => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(signal?.reason);
        }
      };
      signal?.addEventListener("abort", waiter.leave, { once: true });
      this.waiters.push(waiter);
    });
  }
  /** Hands the slot straight to the next waiter (still counted as running), so `running` stays exact as it resumes. */
  release() {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.start();
      return;
    }
    this.active--;
    if (this.active > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve4 of waiters) resolve4();
  }
};
function mapLimit(items, concurrency2, task, options = {}) {
  const limiter = new Limiter(Math.max(1, concurrency2));
  return Promise.all(items.map((item, index) => limiter.run(() => task(item, index), options.signal)));
}
var cssColors = Object.freeze(Object.fromEntries(Object.entries(import_color_name.default).map(([name, rgb]) => [name, `#${rgb.map((v) => v.toString(16).padStart(2, "0")).join("")}`])));
var hexPattern = /^#?([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/;
var isCssColorName = (text) => Object.hasOwn(cssColors, text);
function tryParseColor(raw) {
  const text = raw.trim().toLowerCase();
  if (text === "transparent") return "#00000000";
  if (isCssColorName(text)) return `${cssColors[text]}ff`;
  const digits = hexPattern.exec(text)?.[1];
  if (digits === void 0) return void 0;
  const full = digits.length <= 4 ? [...digits].map((digit) => digit + digit).join("") : digits;
  return full.length === 6 ? `#${full}ff` : `#${full}`;
}
var defaultParams = Object.freeze({
  format: "webp",
  w: null,
  h: null,
  exact_resize: false,
  mask: false,
  bg_color: null,
  angle: 0,
  expand: true,
  crop: false,
  crop_threshold: 10,
  crop_margin: "0px"
});
var aliases = {
  exactResize: "exact_resize",
  bgColor: "bg_color",
  cropThreshold: "crop_threshold",
  cropMargin: "crop_margin"
};
function repeatedParameter(field) {
  return new RembgError(`Parameter '${field}' was given more than once. Give each parameter at most once.`, {
    status: 400,
    code: "INVALID_PARAMETER",
    field
  });
}
var toParameterName = (key) => Object.entries(aliases).find(([alias]) => alias === key)?.[1] ?? parameterNames.find((name) => name === key);
function orderErrors(errors) {
  const known = parameterNames.flatMap((name) => errors.get(name) ?? []);
  const others = [...errors].filter(([key]) => toParameterName(key) === void 0).map(([, error2]) => error2);
  return [...known, ...others];
}
function collectInput(input, options, errors) {
  const values = /* @__PURE__ */ new Map();
  const extraKeys = options.extraKeys ?? [];
  for (const [key, value] of Object.entries(input)) {
    if (value === void 0 || extraKeys.includes(key)) continue;
    const name = toParameterName(key);
    if (name === void 0) {
      if (options.strict ?? true) errors.set(key, unknownParameter(key, [...parameterNames, ...extraKeys]));
    } else if (values.has(name) || errors.has(name)) {
      values.delete(name);
      errors.set(name, repeatedParameter(name));
    } else values.set(name, value);
  }
  return values;
}
function parseFormat(raw) {
  const text = typeof raw === "string" ? raw.trim().toLowerCase() : void 0;
  const wanted = text === "jpg" ? "jpeg" : text;
  return outputFormats.find((format) => format === wanted) ?? invalidFormat(String(raw));
}
var intPattern = /^[+-]?\d+(?:_\d+)*$/;
var parsePythonInt = (text) => intPattern.test(text) ? Number(text.replaceAll("_", "")) : NaN;
function parseSize(field, raw) {
  if (raw === null || typeof raw === "string" && raw.trim() === "") return null;
  const value = parseInteger(field, raw);
  if (value === 0) return null;
  return value instanceof RembgError ? value : inRange(field, value, 1, limits.maxResize);
}
function parseInteger(field, raw) {
  const text = typeof raw === "string" ? raw.trim() : void 0;
  const value = typeof raw === "number" ? raw : text === void 0 ? NaN : parsePythonInt(text);
  return Number.isInteger(value) ? value : notAnInteger(field, String(raw));
}
function inRange(field, value, min, max) {
  if (value < min) return belowMinimum(field, min, value);
  if (value > max) return aboveMaximum(field, max, value);
  return value;
}
function parseBoolean(field, raw) {
  if (typeof raw === "boolean") return raw;
  const text = typeof raw === "string" ? raw.trim().toLowerCase() : typeof raw === "number" ? String(raw) : void 0;
  if (trueWords.some((word) => word === text)) return true;
  if (falseWords.some((word) => word === text)) return false;
  return notABoolean(field, String(raw));
}
function parseBgColor(raw) {
  if (raw === null) return null;
  return (typeof raw === "string" ? tryParseColor(raw) : void 0) ?? invalidColor(String(raw));
}
var floatPattern = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:e[+-]?\d(?:_?\d)*)?$/i;
var parsePythonFloat = (text) => floatPattern.test(text) ? Number(text.replaceAll("_", "")) : NaN;
function parseAngle(raw) {
  const value = typeof raw === "number" ? raw : typeof raw === "string" ? parsePythonFloat(raw.trim()) : NaN;
  if (!Number.isFinite(value)) return notANumber("angle", String(raw));
  if (Math.abs(value) > limits.maxAngle) return angleOutOfRange(value);
  return value === 0 ? 0 : value;
}
function parseCropThreshold(raw) {
  const value = parseInteger("crop_threshold", raw);
  if (value instanceof RembgError) return value;
  return value === 0 ? 0 : inRange("crop_threshold", value, 0, limits.maxCropThreshold);
}
function parseCropMarginField(raw) {
  const text = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw : void 0;
  if (text === void 0) return invalidCropMargin(String(raw));
  const margin = parseCropMargin(text);
  return margin instanceof RembgError ? margin : formatCropMargin(margin);
}
var parsers = {
  format: parseFormat,
  w: (raw) => parseSize("w", raw),
  h: (raw) => parseSize("h", raw),
  exact_resize: (raw) => parseBoolean("exact_resize", raw),
  mask: (raw) => parseBoolean("mask", raw),
  bg_color: parseBgColor,
  angle: parseAngle,
  expand: (raw) => parseBoolean("expand", raw),
  crop: (raw) => parseBoolean("crop", raw),
  crop_threshold: parseCropThreshold,
  crop_margin: parseCropMarginField
};
function resolveField(name, values, errors) {
  const raw = values.get(name);
  if (raw === void 0) return defaultParams[name];
  const parsed = parsers[name](raw);
  if (!(parsed instanceof RembgError)) return parsed;
  errors.set(name, parsed);
  return defaultParams[name];
}
function resolveParams(input, options = {}) {
  const errors = /* @__PURE__ */ new Map();
  const given = collectInput(input, options, errors);
  const values = new Map([...collectInput(options.defaults ?? {}, options, errors), ...given]);
  const params = {
    format: resolveField("format", values, errors),
    w: resolveField("w", values, errors),
    h: resolveField("h", values, errors),
    exact_resize: resolveField("exact_resize", values, errors),
    mask: resolveField("mask", values, errors),
    bg_color: resolveField("bg_color", values, errors),
    angle: resolveField("angle", values, errors),
    expand: resolveField("expand", values, errors),
    crop: resolveField("crop", values, errors),
    crop_threshold: resolveField("crop_threshold", values, errors),
    crop_margin: resolveField("crop_margin", values, errors)
  };
  if (params.mask && params.bg_color !== null) errors.set("bg_color", maskWithBgColor());
  const error2 = combineErrors(orderErrors(errors));
  if (error2) throw error2;
  return params;
}
var formatField = (value) => value === null ? "" : String(value);
var outputFieldNames = (params) => params.crop ? parameterNames : apiParameterNames;
function canonicalParams(params) {
  return outputFieldNames(params).toSorted().map((name) => `${name}=${formatField(params[name])}`).join("&");
}
function parseIntegerOption(field, raw, range = {}) {
  const { min = 1, max } = range;
  const value = parseInteger(field, raw);
  if (value instanceof RembgError) throw value;
  if (!Number.isSafeInteger(value)) throw notAnInteger(field, String(raw));
  if (max !== void 0 && (value < min || value > max)) throw notBetween(field, min, max, value);
  if (value < min) throw belowMinimum(field, min, value);
  return value;
}
function parseEngineName(raw) {
  const name = engineNames.find((engine) => engine === raw);
  if (name === void 0) throw unknownEngine(String(raw));
  return name;
}
function parsePreset(raw, engine) {
  if (raw === void 0) return "quality";
  const name = presetNames.find((preset) => preset === raw);
  if (name === void 0) throw unknownPreset(String(raw));
  if (name !== "quality" && engine !== void 0 && engine !== "local") throw presetNeedsLocal(name, engine);
  return name;
}
var sessions = /* @__PURE__ */ new Map();
function resolveModelSpec(options) {
  const name = options.model ?? "isnet-general-use";
  const registered = models[name];
  if (registered) {
    if (registered.nonCommercial && !options.allowNonCommercial) throw new RembgError(`Model '${name}' is licensed ${registered.license} (non-commercial use only). Pass allowNonCommercial: true (CLI: --allow-non-commercial) if your use is non-commercial.`, {
      status: 400,
      code: "MODEL_NON_COMMERCIAL",
      field: "model"
    });
    return registered;
  }
  if (name.endsWith(".onnx") || existsSync2(name)) return customModelSpec(resolve(name), options.modelInput, options.modelOutput);
  throw new RembgError(`Unknown model '${name}'. Known models: ${Object.keys(models).join(", ")}; or pass a path to an .onnx file.`, {
    status: 400,
    code: "UNKNOWN_MODEL",
    field: "model"
  });
}
function createLocalEngine(options = {}) {
  return new LocalEngine(options);
}
var LocalEngine = class {
  id = "local";
  spec;
  preset;
  /** The model's input as this preset runs it. */
  input;
  limiter;
  fingerprintPromise;
  /** The execution provider in use, known once the session is loaded. */
  provider;
  constructor(options) {
    this.options = options;
    checkRuntimeInstalled();
    this.spec = resolveModelSpec(options);
    this.preset = parsePreset(options.preset);
    this.input = presetInput(this.spec, this.preset) ?? noPreset(this.spec, this.preset);
    this.limiter = new Limiter(parseIntegerOption("concurrency", options.concurrency ?? 1));
    if (options.threads !== void 0) parseIntegerOption("threads", options.threads);
  }
  /** Model name + a checksum of its weights; computed without loading the model (cache hits must stay cheap). */
  fingerprint() {
    const preset = this.preset === "quality" ? "" : `:${this.preset}-${this.input.width}`;
    this.fingerprintPromise ??= modelChecksum(this.spec).then((sum) => `local:${this.spec.name}:${sum}${preset}`);
    return this.fingerprintPromise;
  }
  /**
  * Loads the model (download, conversion and session creation as needed) without running it. `log` (else the
  * engine's own) hears the notes of the load, when this call is the one that loads.
  */
  load(log = this.options.log) {
    return this.open(log);
  }
  async open(log) {
    const { spec, options } = this;
    const threads = options.threads ?? defaultThreads(options.concurrency ?? 1);
    const size = this.input === spec.input ? void 0 : this.input.width;
    const key = [
      spec.name,
      threads,
      options.provider,
      options.requireProvider,
      options.winograd,
      size
    ].join("\0");
    let loading = sessions.get(key);
    if (!loading) {
      const request = {
        ...options,
        threads,
        ...log ? { log } : {}
      };
      loading = import("./chunk-local-session-64F4TJBX.js").then(({ openSession }) => openSession(spec, request, size));
      sessions.set(key, loading);
      loading.catch(() => sessions.delete(key));
    }
    const loaded = await loading;
    this.provider = loaded.provider;
    return loaded;
  }
  async matte(image, signal, callbacks) {
    const loaded = await this.open(callbacks?.log ?? this.options.log);
    return this.limiter.run(async () => {
      signal?.throwIfAborted();
      return loaded.run(image, this.input);
    });
  }
};
function noPreset(spec, preset) {
  const withIt = Object.values(models).filter((model) => modelPresets(model).includes(preset)).map((model) => model.name);
  throw new RembgError(`Model '${spec.name}' has no '${preset}' preset (it has: ${modelPresets(spec).join(", ")}). Models with it: ${withIt.join(", ")}.`, {
    status: 400,
    code: "PRESET_UNSUPPORTED",
    field: "preset"
  });
}
var fileChecksums = /* @__PURE__ */ new Map();
async function modelChecksum(spec) {
  const source = spec.source;
  if (source.kind === "url" && (source.sha256 || source.md5)) return source.sha256 ?? source.md5;
  const imglyDir = source.kind === "imgly" ? imglyDataDir() : null;
  if (source.kind === "imgly" && imglyDir) {
    const { chunks } = await readImglyResource(source.variant, imglyDir);
    return sha256(...chunks.map((chunk) => chunk.hash));
  }
  const path = source.kind === "file" ? source.path : await ensureModel(spec);
  let sum = fileChecksums.get(path);
  if (!sum) {
    sum = rememberedSha256(path, modelDirs().home);
    fileChecksums.set(path, sum);
  }
  return sum;
}
var retriedStatuses = /* @__PURE__ */ new Set([
  429,
  502,
  503,
  504
]);
var retriedNetworkCodes = /* @__PURE__ */ new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "ECONNABORTED",
  "EPIPE",
  "EAI_AGAIN"
]);
var finalLimitMessages = /* @__PURE__ */ new Set([dailyLimitReached().message, monthlyLimitReached().message]);
var maxBackoffMs = 1e4;
function normalizeBaseUrl(baseUrl) {
  return (baseUrl ?? "https://api.rembg.com").replace(/\/+$/, "");
}
function resolveApiKey(options) {
  const key = options.apiKey || process.env.REMBG_API_KEY || void 0;
  if (!key && normalizeBaseUrl(options.baseUrl) === "https://api.rembg.com") throw new RembgError("No API key: pass apiKey (CLI: --api-key) or set REMBG_API_KEY.", {
    status: 401,
    code: "NO_API_KEY",
    field: "apiKey"
  });
  return key;
}
var ApiClient = class {
  http;
  apiKey;
  baseUrl;
  constructor(options) {
    this.options = options;
    this.apiKey = resolveApiKey(options);
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
  }
  /** Sends one request with retries; resolves with the body bytes, rejects with a {@link RembgError}. */
  async request(request) {
    const http = await this.client();
    const started = Date.now();
    try {
      const response = await http.request({
        method: request.method,
        url: `${this.baseUrl}${request.path}`,
        params: request.params,
        data: request.body,
        signal: request.signal,
        ...progressHandlers(request.callbacks ?? {}),
        "axios-retry": {
          retryCondition: (error2) => this.worthRetrying(error2, started),
          retryDelay: (retry, error2) => this.delayBefore(retry, error2, started),
          onRetry: (retry, error2) => this.noteRetry(retry, error2, request.callbacks?.log)
        }
      });
      return Buffer.from(response.data);
    } catch (error2) {
      throw this.toRembgError(error2);
    }
  }
  client() {
    this.http ??= createHttp(this.options, this.apiKey);
    return this.http;
  }
  worthRetrying(error2, started) {
    if (error2.code === "ERR_CANCELED") return false;
    const status = error2.response?.status;
    if (status !== void 0) {
      if (!retriedStatuses.has(status)) return false;
      if (status === 429 && finalLimitMessages.has(errorBody(error2.response)?.error ?? "")) return false;
    } else if (!retriedNetworkCodes.has(error2.code ?? "")) return false;
    const retryAfter = retryAfterMs(error2.response);
    return Date.now() - started + (retryAfter ?? 0) < (this.options.retryBudgetMs ?? 6e4);
  }
  delayBefore(retry, error2, started) {
    const retryAfter = retryAfterMs(error2.response);
    if (retryAfter !== void 0) return retryAfter;
    const step = Math.min(maxBackoffMs, (this.options.retryBaseMs ?? 500) * 2 ** (retry - 1));
    const left = (this.options.retryBudgetMs ?? 6e4) - (Date.now() - started);
    return Math.max(0, Math.min(left, Math.random() * step));
  }
  noteRetry(retry, error2, log = this.options.log) {
    const what = error2.response ? `answered ${error2.response.status}` : `failed (${error2.code})`;
    const line = `rembg-kit: ${this.baseUrl} ${what}, try ${retry + 1} of ${(this.options.retries ?? 4) + 1}`;
    if (log) log(line);
    else process.stderr.write(`${line}
`);
  }
  /** The server's status and message as a RembgError; never the request, whose headers carry the key. */
  toRembgError(error2) {
    if (error2.code === "ERR_CANCELED") return new RembgError("The request was aborted.", {
      status: 499,
      code: "ABORTED"
    });
    const response = error2.response;
    if (!response) return new RembgError(`Could not reach ${this.baseUrl} (${error2.code ?? "network error"}).`, {
      status: 503,
      code: "API_UNREACHABLE"
    });
    const body = errorBody(response);
    if (!body) return new RembgError(`${this.baseUrl} answered ${response.status} without an error message.`, {
      status: response.status,
      code: "API_ERROR"
    });
    return new RembgError(body.error, {
      status: response.status,
      code: knownCodes.get(body.error) ?? (response.status === 400 ? "INVALID_PARAMETER" : "API_ERROR"),
      ...body.details ? { details: body.details } : {},
      ...body.details?.length === 1 && body.details[0] ? { field: body.details[0].field } : {}
    });
  }
};
var knownCodes = new Map([
  invalidApiKey(),
  apiKeyAndToken(),
  emailNotVerified(),
  tooManyRequests(),
  dailyLimitReached(),
  monthlyLimitReached(),
  serverBusy()
].map((e) => [e.message, e.code]));
async function createHttp(options, apiKey) {
  const [{ default: axios }, { default: axiosRetry }] = await Promise.all([import("./axios-BPMTYSTT.js"), import("./esm-OJN2J7L4.js")]);
  const http = axios.create({
    headers: apiKey ? { "x-api-key": apiKey } : {},
    responseType: "arraybuffer",
    timeout: options.timeoutMs ?? 12e4,
    maxBodyLength: Number.POSITIVE_INFINITY,
    maxContentLength: Number.POSITIVE_INFINITY,
    ...progressHandlers(options)
  });
  axiosRetry(http, {
    retries: options.retries ?? 4,
    shouldResetTimeout: true
  });
  return http;
}
function progressHandlers(callbacks) {
  const { onUploadProgress, onDownloadProgress } = callbacks;
  return {
    ...onUploadProgress ? { onUploadProgress: progressHandler(onUploadProgress, "upload") } : {},
    ...onDownloadProgress ? { onDownloadProgress: progressHandler(onDownloadProgress, "download") } : {}
  };
}
function progressHandler(callback, direction) {
  return (event) => callback({
    loaded: event.loaded,
    total: event.total,
    progress: event.progress,
    bytes: event.bytes,
    rate: event.rate,
    estimated: event.estimated,
    [direction]: true
  });
}
function errorBody(response) {
  if (!response?.data) return void 0;
  try {
    const text = Buffer.from(response.data).toString("utf8");
    const body = JSON.parse(text);
    if (typeof body.error !== "string") return void 0;
    return body;
  } catch {
    return;
  }
}
function retryAfterMs(response) {
  const header = response?.headers["retry-after"];
  if (!header) return void 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1e3);
  const date = Date.parse(header);
  return Number.isNaN(date) ? void 0 : Math.max(0, date - Date.now());
}
function createRemoteEngine(options = {}) {
  return new RemoteEngine(options);
}
var RemoteEngine = class {
  id = "remote";
  baseUrl;
  api;
  limiter;
  constructor(options = {}) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.api = new ApiClient({
      ...options,
      baseUrl: this.baseUrl
    });
    this.limiter = new Limiter(parseIntegerOption("concurrency", options.concurrency ?? 4));
  }
  fingerprint() {
    return Promise.resolve(`remote:${this.baseUrl}`);
  }
  matte(image, signal, callbacks) {
    return this.limiter.run(async () => {
      signal?.throwIfAborted();
      const body = new FormData();
      const upload = await uploadFile(image);
      body.append("image", new Blob([upload.bytes], { type: upload.mime }), upload.name);
      body.append("format", "png");
      body.append("mask", "true");
      return readMatte(await this.api.request({
        method: "post",
        path: "/rmbg",
        body,
        ...signal ? { signal } : {},
        ...callbacks ? { callbacks } : {}
      }), image);
    });
  }
};
async function uploadFile(image) {
  const source = image.source;
  if (source && (source.format === "bmp" || ((await loadSharp()(source.bytes).metadata()).orientation ?? 1) === 1)) {
    const extension = source.format === "jpeg" ? "jpg" : source.format;
    return {
      bytes: source.bytes,
      mime: mimeTypes[source.format],
      name: `image.${extension}`
    };
  }
  return {
    bytes: await loadSharp()(image.data, { raw: {
      width: image.width,
      height: image.height,
      channels: image.channels
    } }).png({ compressionLevel: 1 }).toBuffer(),
    mime: "image/png",
    name: "image.png"
  };
}
async function readMatte(png, image) {
  const { data, info: info2 } = await loadSharp()(png).toColourspace("b-w").extractChannel(0).raw().toBuffer({ resolveWithObject: true }).catch(() => {
    throw new RembgError("The API answered with a mask that is not a readable image.", {
      status: 502,
      code: "API_BAD_MASK"
    });
  });
  if (info2.width !== image.width || info2.height !== image.height) throw new RembgError(`The API answered with a ${info2.width}x${info2.height} mask for a ${image.width}x${image.height} image.`, {
    status: 502,
    code: "API_BAD_MASK"
  });
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}
var endsWith = (bytes2, tail) => bytes2.length >= tail.length && tail.every((value, i) => bytes2[bytes2.length - tail.length + i] === value);
var view = (bytes2) => new DataView(bytes2.buffer, bytes2.byteOffset, bytes2.byteLength);
var endsWhereItSays = {
  png: (bytes2) => endsWith(bytes2, [
    73,
    69,
    78,
    68,
    174,
    66,
    96,
    130
  ]),
  jpeg: (bytes2) => endsWith(bytes2, [255, 217]),
  webp: (bytes2) => view(bytes2).getUint32(4, true) + 8 === bytes2.length,
  bmp: (bytes2) => bytes2.length >= 14 && view(bytes2).getUint32(2, true) === bytes2.length
};
function isCompleteImage(bytes2) {
  const format = sniffFormat(bytes2);
  return format !== null && endsWhereItSays[format](bytes2);
}
var trimmedShare = 0.9;
var ResultCache = class {
  dir;
  stats = {
    matteHits: 0,
    matteMisses: 0,
    outputHits: 0,
    outputMisses: 0,
    corrupt: 0,
    writeErrors: 0
  };
  /** The bound in bytes (Infinity when unbounded). */
  maxSize;
  log;
  /** Bytes in the folder when it was last listed, plus what this cache wrote since; unknown before the first write. */
  sizeEstimate;
  trimming;
  constructor(dir, options = {}) {
    this.dir = dir;
    this.maxSize = options.maxSize === void 0 ? Number.POSITIVE_INFINITY : parseCacheSize("cacheMaxSize", options.maxSize);
    this.log = options.log ?? ((line) => void process.stderr.write(`${line}
`));
  }
  /** Key of the matte of `inputHash` (sha256 of the input bytes) under one engine fingerprint. */
  static matteKey(inputHash, engineFingerprint) {
    return sha256("matte", "1", inputHash, engineFingerprint);
  }
  /** Key of one output: its matte plus the canonical parameters (defaults filled, fields sorted). */
  static outputKey(matteKey, canonicalParams2) {
    return sha256("output", "1", matteKey, canonicalParams2);
  }
  mattePath(key) {
    return join(this.dir, "mattes", key.slice(0, 2), `${key}.png`);
  }
  outputPath(key, extension) {
    return join(this.dir, "outputs", key.slice(0, 2), `${key}.${extension}`);
  }
  /** The cached matte, or null on a miss (a matte of the wrong size or one that fails to decode is a miss). */
  async readMatte(key, width, height) {
    const path = this.mattePath(key);
    const bytes2 = await readIfExists(path);
    if (!bytes2) return this.miss("matte");
    try {
      const { data, info: info2 } = await loadSharp()(bytes2).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      if (info2.width !== width || info2.height !== height || data.length !== width * height) throw new Error("size");
      this.stats.matteHits++;
      await markUsed(path);
      return new Uint8Array(data.buffer, data.byteOffset, data.length);
    } catch {
      return this.corruptEntry(path, "matte");
    }
  }
  /** @param log where this call's warning about an unwritable cache goes, instead of the cache's own. */
  async writeMatte(key, matte, width, height, log) {
    const png = await loadSharp()(matte, { raw: {
      width,
      height,
      channels: 1
    } }).png({ compressionLevel: 3 }).toBuffer();
    await this.write(this.mattePath(key), png, log);
  }
  /** The cached output file, or null on a miss. Checked for completeness without decoding (a hit must be cheap). */
  async readOutput(key, extension) {
    const path = this.outputPath(key, extension);
    const bytes2 = await readIfExists(path);
    if (!bytes2) return this.miss("output");
    if (!isCompleteImage(bytes2)) return this.corruptEntry(path, "output");
    this.stats.outputHits++;
    await markUsed(path);
    return bytes2;
  }
  async writeOutput(key, extension, data, log) {
    await this.write(this.outputPath(key, extension), data, log);
  }
  /**
  * A cache that cannot be written must not fail the build or the upload that asked for the result: the result is
  * returned uncached, and the reason is said once per cache.
  */
  async write(path, data, log = this.log) {
    try {
      await writeFileAtomic(path, data);
      await this.keepWithinBound(data.length);
    } catch (error2) {
      if (this.stats.writeErrors++ === 0) {
        const reason = error2.code ?? error2.message;
        log(`rembg-kit: cannot write the cache in ${this.dir} (${reason}); results are not cached`);
      }
    }
  }
  /**
  * Lists the folder at the first write and whenever the estimate goes over the bound, then removes the least
  * recently used entries, down to 90 % of it. Other processes' writes are seen at the next listing.
  */
  async keepWithinBound(written) {
    if (this.maxSize === Number.POSITIVE_INFINITY) return;
    if (this.sizeEstimate !== void 0) {
      this.sizeEstimate += written;
      if (this.sizeEstimate <= this.maxSize) return;
    }
    this.trimming ??= this.trim().finally(() => {
      this.trimming = void 0;
    });
    await this.trimming;
  }
  async trim() {
    const entries = await listCacheEntries(this.dir);
    const size = entries.reduce((sum, entry) => sum + entry.size, 0);
    if (size <= this.maxSize) {
      this.sizeEstimate = size;
      return;
    }
    const { kept } = await pruneEntries(entries, { maxSize: Math.floor(this.maxSize * trimmedShare) });
    this.sizeEstimate = kept.size;
  }
  miss(kind) {
    if (kind === "matte") this.stats.matteMisses++;
    else this.stats.outputMisses++;
    return null;
  }
  async corruptEntry(path, kind) {
    this.stats.corrupt++;
    await rm2(path, { force: true });
    return this.miss(kind);
  }
};
async function markUsed(path) {
  const now = /* @__PURE__ */ new Date();
  await utimes(path, now, now).catch(() => {
  });
}
async function readIfExists(path) {
  try {
    return await readFile(path);
  } catch {
    return null;
  }
}
function defaultCacheDir(cwd = process.cwd(), env = process.env) {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync2(join(dir, "package.json"))) return join(dir, "node_modules", ".cache", "rembg-kit");
    if (dirname(dir) === dir) break;
  }
  return env.REMBG_KIT_HOME ? join(env.REMBG_KIT_HOME, "cache") : join(homedir(), ".cache", "rembg-kit", "cache");
}
function createRemover(options = {}) {
  return new Remover(options);
}
var Remover = class {
  engine;
  cache;
  outputsInFlight = new SharedWork();
  mattesInFlight = new SharedWork();
  constructor(options = {}) {
    this.engine = createEngine(options);
    const { cacheDir = defaultCacheDir() } = options;
    this.cache = cacheDir === false ? null : new ResultCache(cacheDir, {
      ...options.log ? { log: options.log } : {},
      ...options.cacheMaxSize === void 0 ? {} : { maxSize: options.cacheMaxSize }
    });
  }
  async remove(input, options = {}) {
    const fileName = inputName(input, options.fileName);
    try {
      const params = resolveParams(pickParams(options));
      const read = await readInput(input, { fileName });
      const matteKey = ResultCache.matteKey(sha256(read.bytes), await this.engine.fingerprint());
      const outputKey = ResultCache.outputKey(matteKey, canonicalParams(params));
      const callbacks = pick(options, callbackKeys);
      return await this.outputsInFlight.run(outputKey, options.signal, (signal) => this.produce(read, params, matteKey, outputKey, signal, callbacks));
    } catch (error2) {
      throw withFile(error2, fileName);
    }
  }
  async produce(read, params, matteKey, outputKey, signal, callbacks) {
    const extension = fileExtensions[params.format];
    const cached = await this.cache?.readOutput(outputKey, extension);
    const cachedCrop = cached && params.crop ? await this.cropFromCachedMatte(read, params, matteKey) : void 0;
    if (cached && (!params.crop || cachedCrop)) {
      const size = readOutputSize(cached, params.format);
      return this.result(cached, size, params, {
        output: true,
        matte: true
      }, cachedCrop);
    }
    const image = await decodeInput(await checkDimensions(read));
    let matteHit = true;
    const matte = await this.mattesInFlight.run(matteKey, signal, async (matteSignal) => {
      const stored = await this.cache?.readMatte(matteKey, image.width, image.height);
      if (stored) return stored;
      matteHit = false;
      const source = {
        bytes: read.bytes,
        format: read.format,
        ...read.fileName ? { fileName: read.fileName } : {}
      };
      const computed = await this.engine.matte({
        ...image,
        source
      }, matteSignal, callbacks);
      await this.cache?.writeMatte(matteKey, computed, image.width, image.height, callbacks.log);
      return computed;
    });
    const { compose } = await import("./chunk-compose-VQZEJB4H.js").then((n) => n.n);
    const composed = await compose(image, matte, params);
    await this.cache?.writeOutput(outputKey, extension, composed.data, callbacks.log);
    return this.result(composed.data, composed, params, {
      output: false,
      matte: matteHit
    }, composed.crop);
  }
  async cropFromCachedMatte(read, params, matteKey) {
    const { width, height } = await checkDimensions(read);
    const matte = await this.cache?.readMatte(matteKey, width, height);
    return matte ? planCrop(matte, width, height, params) : void 0;
  }
  result(data, size, params, cache, crop) {
    const provider = this.engine.provider;
    return {
      data,
      width: size.width,
      height: size.height,
      format: params.format,
      mime: mimeTypes[params.format],
      extension: fileExtensions[params.format],
      cache,
      params,
      engine: provider ? {
        id: this.engine.id,
        provider
      } : { id: this.engine.id },
      ...crop === void 0 ? {} : { crop }
    };
  }
};
function createEngine(options) {
  const { engine = "local" } = options;
  parsePreset(options.preset, engine);
  if (engine === "remote") return createRemoteEngine(options);
  if (engine === "local") return createLocalEngine(options);
  return engine;
}
var callOnlyKeys = [
  "fileName",
  "signal",
  "log",
  "onUploadProgress",
  "onDownloadProgress"
];
function pickParams(options) {
  const params = {};
  for (const [key, value] of Object.entries(options)) {
    if (callOnlyKeys.includes(key)) continue;
    params[key] = value;
  }
  return params;
}
function readOutputSize(data, format) {
  if (format === "bmp") return readBmpSize(data);
  const { width, height } = outputSizeReaders[format].calculate(data);
  return {
    width,
    height
  };
}
var outputSizeReaders = {
  png: PNG,
  webp: WEBP,
  jpeg: JPG
};
var callbackKeys = [
  "log",
  "onUploadProgress",
  "onDownloadProgress"
];
var apiKeySalt = randomBytes(16);
function pick(options, keys) {
  return Object.fromEntries(Object.entries(options).filter(([key, value]) => keys.includes(key) && value !== void 0));
}

// ../core/dist/index.js
var import_picomatch = __toESM(require_picomatch2(), 1);
import { isAbsolute, posix, resolve as resolve2 } from "node:path";
function createFilter(filter, options = {}) {
  const { include, exclude } = isIncludeExclude(filter) ? filter : {
    include: filter,
    exclude: void 0
  };
  const included = compile(filterPatterns("include", include), options);
  const excluded = compile(filterPatterns("exclude", exclude), options);
  return (path) => {
    const normalized = normalizePath(path);
    if (excluded?.(normalized)) return false;
    return included === void 0 || included(normalized);
  };
}
function filterPatterns(field, value) {
  const list2 = value === void 0 || value === null ? [] : Array.isArray(value) ? value : [value];
  const bad = list2.find((entry) => !(typeof entry === "string" && entry !== "" || entry instanceof RegExp));
  if (list2.includes(bad)) throw new RembgError(`'${field}' must be a glob, a RegExp or a list of them, got: ${typeof bad === "string" ? `'${bad}'` : String(bad)}`, {
    status: 400,
    code: "INVALID_OPTION",
    field
  });
  return list2;
}
var normalizePath = (path) => path.replaceAll("\\", "/");
function isIncludeExclude(filter) {
  return typeof filter === "object" && filter !== null && !Array.isArray(filter) && !(filter instanceof RegExp);
}
function compile(patterns, options) {
  if (patterns.length === 0) return void 0;
  const globs = patterns.filter((pattern) => typeof pattern === "string").map((glob) => globFor(glob, options.root));
  const regExps = patterns.filter((pattern) => pattern instanceof RegExp).map((regExp) => new RegExp(regExp.source, regExp.flags.replace(/[gy]/g, "")));
  const matchesGlob = globs.length > 0 ? (0, import_picomatch.default)(globs, {
    dot: true,
    nocase: options.ignoreCase ?? false
  }) : null;
  return (path) => (matchesGlob?.(path) ?? false) || regExps.some((regExp) => regExp.test(path));
}
var globSyntax = /[\\^$*+?.()|[\]{}]/g;
function globFor(glob, root) {
  const relative = normalizePath(glob).replace(/^\.\//, "");
  if (root === void 0) return relative;
  if (isAbsolute(glob) || relative.startsWith("**")) return relative;
  return posix.join(normalizePath(resolve2(root)).replace(globSyntax, "\\$&"), relative);
}

// src/main.ts
import { cp, mkdir as mkdir3 } from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import { dirname as dirname3, join as join5 } from "node:path";

// src/git.ts
import { execFile } from "node:child_process";
function git(args, options) {
  return new Promise((resolve4, reject) => {
    const child = execFile(
      "git",
      args,
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 256 * 1024 * 1024 },
      (error2, stdout, stderr) => {
        if (error2) reject(new Error(`git ${args[0]} failed: ${stderr.trim() || error2.message}`));
        else resolve4(stdout);
      }
    );
    if (options.input !== void 0) child.stdin?.end(options.input);
  });
}
async function hasCommit(sha, cwd) {
  return git(["cat-file", "-e", `${sha}^{commit}`], { cwd }).then(
    () => true,
    () => false
  );
}
async function ensureCommits(shas, cwd, depth) {
  const missing = [];
  for (const sha of shas) if (!await hasCommit(sha, cwd)) missing.push(sha);
  if (missing.length === 0) return;
  const deepen = depth === void 0 ? [] : [`--depth=${depth}`];
  await git(["fetch", "--no-tags", ...deepen, "origin", ...missing], { cwd });
}

// src/changed-files.ts
var apiFileLimit = 3e3;
var keptStatuses = /* @__PURE__ */ new Set(["added", "modified", "renamed", "copied", "changed"]);
async function listChangedFiles(target, context) {
  if (context.octokit && target.changedFiles <= apiFileLimit) {
    const files = await context.octokit.paginate(context.octokit.rest.pulls.listFiles, {
      owner: context.owner,
      repo: context.repo,
      pull_number: target.number,
      per_page: 100
    });
    return { paths: files.filter((f) => keptStatuses.has(f.status)).map((f) => f.filename), source: "rest-api" };
  }
  return { paths: await gitChangedFiles(target, context.cwd), source: "git" };
}
async function gitChangedFiles(target, cwd) {
  await ensureCommits([target.baseSha, target.headSha], cwd);
  const range = `${target.baseSha}...${target.headSha}`;
  const diff = () => git(["diff", "--name-status", "-z", "--find-renames", range], { cwd });
  const output = await diff().catch(async () => {
    await git(["fetch", "--no-tags", "--unshallow", "origin"], { cwd }).catch(() => void 0);
    return diff();
  });
  return parseNameStatus(output);
}
function parseNameStatus(output) {
  const fields = output.split("\0");
  const paths = [];
  for (let i = 0; i < fields.length - 1; ) {
    const status = fields[i];
    const twoPaths = status.startsWith("R") || status.startsWith("C");
    const path = fields[twoPaths ? i + 2 : i + 1];
    if (/^[AMRCT]/.test(status)) paths.push(path);
    i += twoPaths ? 3 : 2;
  }
  return paths;
}
async function listTrackedFiles(cwd) {
  return (await git(["ls-files", "-z"], { cwd })).split("\0").filter(Boolean);
}

// src/report.ts
var commentMarker = "<!-- rembg-kit:cutouts -->";
var commentLimit = 65536;
var summaryLimit = 1024 * 1024;
var escapeCell = (text) => text.replaceAll("|", "\\|").replace(/\r?\n/g, "<br>");
function formatBytes(bytes2) {
  if (bytes2 === void 0) return "\u2014";
  if (bytes2 < 1024) return `${bytes2} B`;
  if (bytes2 < 1024 * 1024) return `${(bytes2 / 1024).toFixed(1)} KB`;
  return `${(bytes2 / 1024 / 1024).toFixed(2)} MB`;
}
var link = (path, base) => base ? `[${escapeCell(path)}](${base}/${path.split("/").map(encodeURIComponent).join("/")})` : escapeCell(path);
function row(result, links) {
  const time = `${(result.ms / 1e3).toFixed(1)} s`;
  if (result.status === "failed") {
    return `| ${link(result.input, links?.inputs)} | \u274C ${escapeCell(result.error ?? "failed")} | ${formatBytes(result.bytesBefore)} | \u2014 | \u2014 | ${time} | \u2014 |`;
  }
  const output = link(result.output, links?.outputs) + (result.status === "unchanged" ? " (unchanged)" : "");
  const size = `${result.width}\xD7${result.height}`;
  return `| ${link(result.input, links?.inputs)} | ${output} | ${formatBytes(result.bytesBefore)} | ${formatBytes(result.bytesAfter)} | ${size} | ${time} | ${result.cache} |`;
}
function countLine(results) {
  const count = (test) => results.filter(test).length;
  const images = `${results.length} image${results.length === 1 ? "" : "s"}`;
  return `${images}: ${count((r) => r.status === "written")} written, ${count((r) => r.status === "unchanged")} unchanged, ${count((r) => r.status === "failed")} failed; ${count((r) => r.cache === "computed")} inferences, ${count((r) => r.cache === "output")} from cache`;
}
function formatReport(report, limit, measure = (t) => t.length) {
  const head = [
    commentMarker,
    "### rembg-kit: background removal",
    "",
    `${countLine(report.results)}. ${report.outcome}`,
    "",
    "| File | Cutout | Before | After | Dimensions | Time | Cache |",
    "| --- | --- | ---: | ---: | ---: | ---: | --- |"
  ];
  const notes = report.notes.length > 0 ? ["", ...report.notes.map((note) => `- ${note}`)] : [];
  const rows = report.results.map((result) => row(result, report.links));
  const assemble = (shown2, dropped) => {
    const cut = dropped > 0 ? [`| \u2026 ${dropped} more rows not shown: GitHub caps this text at ${limit} characters | | | | | | |`] : [];
    return [...head, ...shown2, ...cut, ...notes, ""].join("\n");
  };
  let shown = rows.length;
  let text = assemble(rows, 0);
  while (measure(text) > limit && shown > 0) {
    shown = Math.max(0, shown - Math.max(1, Math.ceil(shown / 10)));
    text = assemble(rows.slice(0, shown), rows.length - shown);
  }
  return text;
}

// src/comment.ts
var botLogin = "github-actions[bot]";
async function upsertComment(octokit, issue2, body) {
  try {
    const existing = await findComment(octokit, issue2);
    if (existing) {
      const { data: data2 } = await octokit.rest.issues.updateComment({
        owner: issue2.owner,
        repo: issue2.repo,
        comment_id: existing,
        body
      });
      return { url: data2.html_url, created: false };
    }
    const { data } = await octokit.rest.issues.createComment({ ...issue2, body });
    return { url: data.html_url, created: true };
  } catch (error2) {
    const status = error2.status;
    if (status === 403 || status === 404) {
      return {
        note: `The pull request comment was not written: the token may not comment here (HTTP ${status}; a fork's token is read-only).`
      };
    }
    throw error2;
  }
}
async function findComment(octokit, issue2) {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { ...issue2, per_page: 100 });
  for await (const { data } of pages) {
    const mine = data.find(
      (comment2) => comment2.body?.includes(commentMarker) && (comment2.user?.login === botLogin || comment2.user?.type === "Bot")
    );
    if (mine) return mine.id;
  }
  return void 0;
}

// src/commit.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { rm as rm3 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join2 } from "node:path";
var commitTrailer = "Rembg-Kit: cutouts";
async function commitOutputs(request) {
  const { cwd, headSha } = request;
  await ensureCommits([headSha], cwd, 1);
  const index = join2(tmpdir(), `rembg-kit-index-${randomBytes2(6).toString("hex")}`);
  const env = { GIT_INDEX_FILE: index };
  try {
    await git(["read-tree", headSha], { cwd, env });
    const blobs = (await git(["hash-object", "-w", "--stdin-paths"], { cwd, input: `${request.outputs.join("\n")}
` })).trim().split("\n");
    const entries = request.outputs.map((path, i) => `100644 ${blobs[i]}	${path}
`).join("");
    await git(["update-index", "--add", "--index-info"], { cwd, env, input: entries });
    const tree = (await git(["write-tree"], { cwd, env })).trim();
    if (tree === (await git(["rev-parse", `${headSha}^{tree}`], { cwd })).trim()) return null;
    const who = { NAME: request.author.name, EMAIL: request.author.email };
    const identity = Object.fromEntries(
      ["AUTHOR", "COMMITTER"].flatMap((role) => Object.entries(who).map(([k, v]) => [`GIT_${role}_${k}`, v]))
    );
    const message = `${request.message}

${commitTrailer}
`;
    return (await git(["commit-tree", tree, "-p", headSha, "-F", "-"], { cwd, env: identity, input: message })).trim();
  } finally {
    await rm3(index, { force: true });
  }
}
async function pushCommit(commit, headRef, cwd) {
  await git(["push", "origin", `${commit}:refs/heads/${headRef}`], { cwd });
}
async function remoteBranchTip(headRef, cwd) {
  const line = await git(["ls-remote", "--heads", "origin", `refs/heads/${headRef}`], { cwd }).catch(() => "");
  return /^[0-9a-f]{40,64}/.exec(line)?.[0] ?? null;
}
function movedOnMessage(headRef, tip, headSha) {
  return `The branch \`${headRef}\` moved on (now ${tip.slice(0, 7)}, this run is for ${headSha.slice(0, 7)}): nothing committed; the newer run handles it.`;
}
async function isOwnCommitOn(tip, headSha, cwd) {
  try {
    await ensureCommits([tip], cwd, 1);
    const [parents = "", body = ""] = (await git(["log", "-1", "--format=%P%x1f%B", tip], { cwd })).split("");
    return parents.trim() === headSha && body.split("\n").some((line) => line.trim() === commitTrailer);
  } catch {
    return false;
  }
}
async function filesWrittenByAction(target, cwd) {
  await ensureCommits([target.headSha], cwd, target.commits + 1);
  const log = await git(
    [
      "-c",
      "core.quotePath=false",
      "log",
      "--reverse",
      "--format=%x1e%B%x1f",
      "--name-only",
      "-n",
      String(target.commits),
      target.headSha
    ],
    { cwd }
  ).catch(() => "");
  const written = /* @__PURE__ */ new Set();
  for (const entry of log.split("").slice(1)) {
    const [body = "", names = ""] = entry.split("");
    const byAction = body.split("\n").some((line) => line.trim() === commitTrailer);
    for (const path of names.split("\n").filter(Boolean)) {
      if (byAction) written.add(path);
      else written.delete(path);
    }
  }
  return written;
}

// src/event.ts
import { existsSync as existsSync3, readFileSync } from "node:fs";
var pullRequestEvents = ["pull_request", "pull_request_target"];
var treeEvents = ["push", "workflow_dispatch", "schedule"];
function readTarget(eventName, payload) {
  if (treeEvents.includes(eventName)) return { kind: "tree" };
  const pr = payload.pull_request;
  if (!pullRequestEvents.includes(eventName) || !pr) {
    throw new RembgError(
      `rembg-kit runs on ${[...pullRequestEvents, ...treeEvents].join(", ")} events, not on '${eventName || "none"}'`,
      { status: 400, code: "UNSUPPORTED_EVENT" }
    );
  }
  const headRepo = pr.head.repo?.full_name ?? null;
  return {
    kind: "pull-request",
    number: pr.number,
    baseSha: pr.base.sha,
    headSha: pr.head.sha,
    headRef: pr.head.ref,
    headRepo,
    baseRepo: pr.base.repo.full_name,
    fork: headRepo !== pr.base.repo.full_name,
    changedFiles: pr.changed_files ?? 0,
    commits: pr.commits ?? 1
  };
}
function readEvent(env) {
  const path = env.GITHUB_EVENT_PATH;
  let payload = {};
  if (path && existsSync3(path)) payload = JSON.parse(readFileSync(path, "utf8"));
  else if (path) process.stdout.write(`GITHUB_EVENT_PATH ${path} does not exist
`);
  return { name: env.GITHUB_EVENT_NAME ?? "", payload };
}
function eventRepo(env, payload) {
  if (env.GITHUB_REPOSITORY) {
    const [owner = "", repo = ""] = env.GITHUB_REPOSITORY.split("/");
    return { owner, repo };
  }
  const repository = payload.repository;
  if (repository) return { owner: repository.owner.login, repo: repository.name };
  throw new Error("context.repo requires a GITHUB_REPOSITORY environment variable like 'owner/repo'");
}

// src/output-names.ts
import { posix as posix2 } from "node:path";
var placeholders = ["dir", "name", "ext"];
var outputError = (message) => new RembgError(`Input 'output': ${message}`, { status: 400, code: "INVALID_INPUT", field: "output" });
function parseOutputRule(value) {
  if (value === "in-place") return { kind: "in-place" };
  if (value.includes("{")) {
    const unknown = [...value.matchAll(/\{([^}]*)\}/g)].find(
      ([, key]) => !placeholders.includes(key ?? "")
    );
    if (unknown) throw outputError(`unknown placeholder '${unknown[0]}'. Placeholders: {dir}, {name}, {ext}`);
    if (!value.includes("{name}") || !value.includes("{ext}")) {
      throw outputError(`a template needs {name} and {ext}, got: '${value}'`);
    }
    if (posix2.normalize(value.replace(/^\{dir\}\//, "")) === "{name}.{ext}") {
      throw outputError("this template would replace the images themselves; write 'in-place' to ask for that");
    }
    return { kind: "template", template: value };
  }
  const folder = posix2.normalize(value.replaceAll("\\", "/")).replace(/\/+$/, "");
  if (posix2.isAbsolute(folder) || folder === ".." || folder.startsWith("../") || folder === ".") {
    throw outputError(`a folder must be inside the repository, got: '${value}'`);
  }
  return { kind: "folder", folder };
}
function withExtension(path, format) {
  const extension = posix2.extname(path);
  const same = extension.slice(1).toLowerCase() === fileExtensions[format] || format === "jpeg" && /^\.jpe?g$/i.test(extension);
  return same ? path : `${path.slice(0, path.length - extension.length)}.${fileExtensions[format]}`;
}
function outputPathFor(input, rule, format) {
  if (rule.kind === "in-place") return withExtension(input, format);
  if (rule.kind === "folder") return posix2.join(rule.folder, withExtension(input, format));
  const dir = posix2.dirname(input);
  const name = posix2.basename(input, posix2.extname(input));
  const path = rule.template.replaceAll("{dir}", dir === "." ? "" : dir).replaceAll("{name}", name).replaceAll("{ext}", fileExtensions[format]);
  return posix2.normalize(path).replace(/^\/+/, "");
}
var escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
function isOutputPath(path, rule) {
  if (rule.kind === "in-place") return false;
  if (rule.kind === "folder") return path.startsWith(`${rule.folder}/`);
  const extensions = [...new Set(Object.values(fileExtensions))].join("|");
  const pattern = escapeRegExp(rule.template).replace(/\\\{dir\\\}\//g, "(?:.*/)?").replace(/\\\{dir\\\}/g, ".*").replace(/\\\{name\\\}/g, "[^/]+").replace(/\\\{ext\\\}/g, `(?:${extensions})`);
  return new RegExp(`^${pattern}$`, "i").test(path);
}

// src/inputs.ts
var imageExtensions = [
  .../* @__PURE__ */ new Set([...inputFormats, ...Object.values(fileExtensions)])
].sort();
var paramDefaults = Object.fromEntries(
  parameterNames.map((name) => [name, defaultParams[name] === null ? "" : String(defaultParams[name])])
);
var inputDefaults = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a JS placeholder
  token: "${{ github.token }}",
  paths: `**/*.{${imageExtensions.join(",")}}`,
  ignore: "",
  output: "{dir}/{name}.cutout.{ext}",
  ...paramDefaults,
  engine: "local",
  model: defaultModel,
  preset: "quality",
  "api-key": "",
  "base-url": "",
  commit: "true",
  "commit-message": "Remove image backgrounds (rembg-kit)",
  "commit-author": "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>",
  comment: "true",
  artifact: "auto",
  "max-files": "50",
  "fail-on-error": "true",
  cache: "true"
};
var artifactModes = ["auto", "true", "false"];
var inputVariable = (name) => `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
function readInput2(name, env = process.env) {
  const value = env[inputVariable(name)]?.trim() ?? "";
  if (value !== "") return value;
  const fallback = inputDefaults[name];
  return fallback.startsWith("${{") ? "" : fallback;
}
var inputError = (name, message) => new RembgError(`Input '${name}': ${message}`, { status: 400, code: "INVALID_INPUT", field: name });
function readOptions(env = process.env) {
  const read = (name) => readInput2(name, env);
  const engine = asInput("engine", () => parseEngineName(read("engine")));
  const artifact = read("artifact");
  if (!artifactModes.includes(artifact)) {
    throw inputError("artifact", `must be one of ${artifactModes.join(", ")}, got: '${artifact}'`);
  }
  return {
    token: read("token") || env.GITHUB_TOKEN || "",
    paths: list(read("paths")),
    ignore: list(read("ignore")),
    output: parseOutputRule(read("output")),
    params: readParams(read),
    engine,
    model: read("model"),
    preset: asInput("preset", () => parsePreset(read("preset"), engine)),
    apiKey: read("api-key"),
    baseUrl: read("base-url"),
    commit: readBoolean("commit", read("commit")),
    commitMessage: read("commit-message"),
    commitAuthor: readAuthor(read("commit-author")),
    comment: readBoolean("comment", read("comment")),
    artifact,
    maxFiles: asInput("max-files", () => parseIntegerOption("max-files", read("max-files"))),
    failOnError: readBoolean("fail-on-error", read("fail-on-error")),
    cache: readBoolean("cache", read("cache"))
  };
}
function readParams(read) {
  const given = Object.fromEntries(parameterNames.map((name) => [name, read(name) || void 0]));
  try {
    return resolveParams(given);
  } catch (error2) {
    if (!(error2 instanceof RembgError)) throw error2;
    if (!error2.details) throw inputError(error2.field ?? "format", error2.message);
    const details = error2.details.map((d) => ({ field: `Input '${d.field}'`, message: d.message }));
    throw new RembgError(error2.message, { status: 400, code: "INVALID_INPUT", details });
  }
}
function asInput(name, check) {
  try {
    return check();
  } catch (error2) {
    throw inputError(name, describeError(error2));
  }
}
function list(text) {
  const items = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "{") depth++;
    if (char === "}") depth = Math.max(0, depth - 1);
    if (char === "\n" || char === "," && depth === 0) {
      items.push(current);
      current = "";
    } else current += char;
  }
  items.push(current);
  return items.map((item) => item.trim()).filter((item) => item !== "" && !item.startsWith("#"));
}
function readBoolean(name, value) {
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw inputError(name, `must be true or false, got: '${value}'`);
}
function readAuthor(value) {
  const match = /^(.+?)\s*<([^<>\s]+)>$/.exec(value);
  if (!match) throw inputError("commit-author", `must look like 'Name <email>', got: '${value}'`);
  return { name: match[1], email: match[2] };
}

// src/plan.ts
import { open as open3, stat as stat3 } from "node:fs/promises";
import { join as join3, posix as posix3 } from "node:path";
var lfsSignature = "version https://git-lfs.github.com/spec/v1";
async function isLfsPointer(path) {
  const file = await open3(path, "r");
  try {
    const { bytesRead, buffer } = await file.read(Buffer.alloc(lfsSignature.length), 0, lfsSignature.length, 0);
    return buffer.subarray(0, bytesRead).toString("latin1") === lfsSignature;
  } finally {
    await file.close();
  }
}
var isFile = (path) => stat3(path).then(
  (s) => s.isFile(),
  () => false
);
async function planFiles(paths, options) {
  const selected = createFilter({ include: options.paths, exclude: options.ignore }, { ignoreCase: true });
  const extensionOk = (path) => imageExtensions.includes(posix3.extname(path).slice(1).toLowerCase());
  const candidates = [...new Set(paths)].sort().filter((path) => extensionOk(path) && selected(path)).filter((path) => !isOutputPath(path, options.output) && !options.writtenByAction.has(path));
  const plan = { files: [], lfsPointers: [], refused: [], overLimit: [] };
  const outputs = /* @__PURE__ */ new Map();
  for (const input of candidates) {
    const absolute = join3(options.cwd, input);
    if (!await isFile(absolute)) continue;
    if (await isLfsPointer(absolute)) {
      plan.lfsPointers.push(input);
      continue;
    }
    if (plan.files.length >= options.maxFiles) {
      plan.overLimit.push(input);
      continue;
    }
    const output = outputPathFor(input, options.output, options.format);
    const other = outputs.get(output);
    if (other !== void 0) {
      plan.refused.push({ input, output, message: `'${other}' and '${input}' would both be written to '${output}'` });
      continue;
    }
    outputs.set(output, input);
    plan.files.push({ input, output });
  }
  return plan;
}

// src/process-files.ts
import { mkdir as mkdir2, readFile as readFile2, stat as stat4, writeFile as writeFile2 } from "node:fs/promises";
import { dirname as dirname2, join as join4 } from "node:path";
var concurrency = 2;
async function processFiles(files, remover, params, cwd) {
  return mapLimit(files, concurrency, (file) => processOne(file, remover, params, cwd));
}
async function processOne(file, remover, params, cwd) {
  const started = performance.now();
  const inputPath = join4(cwd, file.input);
  const bytesBefore = await stat4(inputPath).then(
    (s) => s.size,
    () => 0
  );
  try {
    const result = await remover.remove(inputPath, { ...params, fileName: file.input });
    const outputPath = join4(cwd, file.output);
    const existing = await readFile2(outputPath).catch(() => null);
    const unchanged = existing?.equals(result.data) ?? false;
    if (!unchanged) {
      await mkdir2(dirname2(outputPath), { recursive: true });
      await writeFile2(outputPath, result.data);
    }
    return {
      ...file,
      status: unchanged ? "unchanged" : "written",
      bytesBefore,
      bytesAfter: result.data.length,
      width: result.width,
      height: result.height,
      ms: performance.now() - started,
      cache: result.cache.output ? "output" : result.cache.matte ? "matte" : "computed"
    };
  } catch (error2) {
    return { ...file, status: "failed", error: describeError(error2), bytesBefore, ms: performance.now() - started };
  }
}

// src/main.ts
var artifactName = "rembg-kit-cutouts";
async function run(env = process.env) {
  const apiKey = env[inputVariable("api-key")]?.trim();
  if (apiKey) setSecret(apiKey);
  if (process.platform !== "linux") {
    throw new Error(
      `rembg-kit's action runs on Linux runners (ubuntu-latest), not on ${process.platform}/${process.arch}`
    );
  }
  const options = readOptions(env);
  if (options.engine === "local" && (options.apiKey || options.baseUrl))
    warning("rembg-kit: 'api-key' and 'base-url' are for a remote engine; the local engine ignores them");
  const cwd = env.GITHUB_WORKSPACE || process.cwd();
  const event = readEvent(env);
  const target = readTarget(event.name, event.payload);
  if (target.kind === "tree" && options.output.kind === "in-place") {
    throw inputError("output", "'in-place' works on pull requests only; on push and workflow_dispatch name the outputs");
  }
  const token = target.kind === "pull-request" ? options.token : "";
  const octokitReady = token ? import("./octokit-Y4F6F3JV.js").then(({ createOctokit }) => createOctokit(token, env)) : null;
  octokitReady?.catch(() => void 0);
  const movedOn = await branchMovedOn(target, options, cwd);
  if (movedOn) {
    notice(movedOn);
    const delivery2 = { commit: null, artifactPath: null, outcome: movedOn, notes: [] };
    setOutputs([], { files: [], lfsPointers: [], refused: [], overLimit: [] }, delivery2);
    await writeSummary({ results: [], notes: [], outcome: movedOn }, env);
    return;
  }
  const repo = eventRepo(env, event.payload);
  const plan = await plan_(target, options, octokitReady, repo, cwd);
  info(`rembg-kit: ${plan.files.length} image(s) to process`);
  const remover = createRemover({
    engine: options.engine,
    ...options.apiKey ? { apiKey: options.apiKey } : {},
    ...options.baseUrl ? { baseUrl: options.baseUrl } : {},
    model: options.model,
    ...options.preset === "quality" ? {} : { preset: options.preset },
    cacheDir: options.cache ? join5(dirname3(modelDirs(env).home), "cache") : false,
    log: (line) => info(line)
  });
  const results = [...refusedResults(plan), ...await processFiles(plan.files, remover, options.params, cwd)];
  results.sort((a, b) => a.input.localeCompare(b.input));
  for (const result of results) logResult(result);
  const delivery = await deliver(results, target, options, cwd, env);
  const report = {
    results,
    notes: [...planNotes(plan, options), ...delivery.notes],
    outcome: delivery.outcome,
    links: blobLinks(target, delivery.commit, env)
  };
  setOutputs(results, plan, delivery);
  await writeSummary(report, env);
  const octokit = await octokitReady;
  if (target.kind === "pull-request" && options.comment && octokit && (results.length > 0 || report.notes.length > 0)) {
    await comment(octokit, repo, target.number, report);
  }
  const failed = results.filter((r) => r.status === "failed").length;
  if (failed > 0 && options.failOnError) setFailed(`rembg-kit: ${failed} of ${results.length} images failed`);
}
async function plan_(target, options, octokitReady, { owner, repo }, cwd) {
  const [paths, writtenByAction] = await Promise.all([
    target.kind === "tree" ? listTrackedFiles(cwd) : Promise.resolve(octokitReady).then((octokit) => listChangedFiles(target, { octokit, owner, repo, cwd })).then((listed) => listed.paths),
    target.kind === "pull-request" ? filesWrittenByAction(target, cwd) : /* @__PURE__ */ new Set()
  ]);
  return planFiles(paths, { ...options, format: options.params.format, cwd, writtenByAction });
}
var refusedResults = (plan) => plan.refused.map((r) => ({
  input: r.input,
  output: r.output,
  status: "failed",
  error: r.message,
  bytesBefore: 0,
  ms: 0
}));
function logResult(result) {
  if (result.status === "failed") {
    error(`${result.input}: ${result.error}`, { file: result.input, title: "rembg-kit" });
    return;
  }
  const size = `${result.width}x${result.height}`;
  info(
    `ok   ${result.input} -> ${result.output} (${size}, ${Math.round(result.ms)} ms, ${result.cache}, ${result.status})`
  );
}
function planNotes(plan, options) {
  const notes = [];
  if (plan.lfsPointers.length > 0) {
    notes.push(
      `Not processed, Git LFS pointers (check out with \`lfs: true\`): ${plan.lfsPointers.map((p) => `\`${p}\``).join(", ")}`
    );
  }
  if (plan.overLimit.length > 0) {
    notes.push(`${plan.overLimit.length} more image(s) not processed: \`max-files\` is ${options.maxFiles}.`);
  }
  return notes;
}
async function deliver(results, target, options, cwd, env) {
  const outputs = results.filter((r) => r.status !== "failed").map((r) => r.output);
  const notes = [];
  let commit = null;
  let onBranch = false;
  let outcome = outputs.length === 0 ? "No cutouts written." : "Cutouts not committed (`commit: false`).";
  const branch = await commitBranch(target, cwd, env);
  if (outputs.length > 0 && options.commit && branch === null && target.kind === "pull-request") {
    outcome = "Cutouts not committed.";
    notes.push("This pull request comes from a fork: its token is read-only, so nothing was pushed.");
  } else if (outputs.length > 0 && options.commit && branch) {
    const nothingWritten = results.every((result) => result.status !== "written");
    const made = nothingWritten ? null : await commitOutputs({
      cwd,
      headSha: branch.sha,
      outputs,
      message: options.commitMessage,
      author: options.commitAuthor
    });
    if (made === null) {
      onBranch = true;
      outcome = `Nothing new to commit: \`${branch.ref}\` holds these cutouts.`;
    } else {
      try {
        await pushCommit(made, branch.ref, cwd);
        commit = made;
        outcome = `Committed as ${made.slice(0, 7)} on \`${branch.ref}\`.`;
      } catch (error2) {
        const tip = target.kind === "pull-request" ? await remoteBranchTip(branch.ref, cwd) : null;
        const movedOn = tip && tip !== branch.sha ? movedOnMessage(branch.ref, tip, branch.sha) : null;
        outcome = movedOn ?? "Cutouts not committed.";
        if (movedOn) notice(movedOn);
        else
          notes.push(
            `The push to \`${branch.ref}\` was rejected (did the branch move?): ${error2.message.split("\n")[0]}`
          );
      }
    }
  }
  const upload = outputs.length > 0 && (options.artifact === "true" || options.artifact === "auto" && commit === null && !onBranch);
  const artifactPath = upload ? await stageArtifact(outputs, cwd, env) : null;
  if (artifactPath && commit === null) outcome += ` The cutouts are in the workflow artifact \`${artifactName}\`.`;
  return { commit, artifactPath, outcome, notes };
}
async function branchMovedOn(target, options, cwd) {
  if (target.kind !== "pull-request" || target.fork || !options.commit) return null;
  const tip = await remoteBranchTip(target.headRef, cwd);
  if (!tip || tip === target.headSha) return null;
  if (await isOwnCommitOn(tip, target.headSha, cwd))
    return `Nothing new to commit: \`${target.headRef}\` holds this run's cutouts already (${tip.slice(0, 7)}).`;
  return movedOnMessage(target.headRef, tip, target.headSha);
}
async function commitBranch(target, cwd, env) {
  if (target.kind === "pull-request") return target.fork ? null : { sha: target.headSha, ref: target.headRef };
  if (!env.GITHUB_REF?.startsWith("refs/heads/")) return null;
  return { sha: (await git(["rev-parse", "HEAD"], { cwd })).trim(), ref: env.GITHUB_REF.slice("refs/heads/".length) };
}
async function stageArtifact(outputs, cwd, env) {
  const dir = join5(env.RUNNER_TEMP || tmpdir2(), artifactName);
  await mkdir3(dir, { recursive: true });
  for (const output of outputs) await cp(join5(cwd, output), join5(dir, output));
  return dir;
}
function blobLinks(target, commit, env) {
  if (target.kind !== "pull-request" || !target.headRepo) return void 0;
  const base = `${env.GITHUB_SERVER_URL || "https://github.com"}/${target.headRepo}/blob`;
  return {
    inputs: `${base}/${target.headSha}`,
    outputs: target.fork && !commit ? void 0 : `${base}/${commit ?? target.headSha}`
  };
}
function setOutputs(results, plan, delivery) {
  const count = (test) => String(results.filter(test).length);
  setOutput(
    "processed",
    count((r) => r.status !== "failed")
  );
  setOutput(
    "written",
    count((r) => r.status === "written")
  );
  setOutput(
    "failed",
    count((r) => r.status === "failed")
  );
  setOutput("skipped", String(plan.lfsPointers.length + plan.overLimit.length));
  setOutput(
    "inferences",
    count((r) => r.cache === "computed")
  );
  setOutput(
    "from-cache",
    count((r) => r.cache === "output")
  );
  setOutput("files", JSON.stringify(results.map(({ ms: ms2, ...rest }) => ({ ...rest, ms: Math.round(ms2) }))));
  setOutput("commit", delivery.commit ?? "");
  setOutput("artifact-path", delivery.artifactPath ?? "");
  info(`rembg-kit: ${countLine(results)}. ${delivery.outcome}`);
}
async function writeSummary(report, env) {
  if (!env.GITHUB_STEP_SUMMARY) return;
  await summary.addRaw(formatReport(report, summaryLimit, (text) => Buffer.byteLength(text))).write();
}
async function comment(octokit, { owner, repo }, number, report) {
  const result = await upsertComment(octokit, { owner, repo, issue_number: number }, formatReport(report, commentLimit));
  if ("note" in result) warning(result.note);
  else {
    setOutput("comment-url", result.url);
    info(`rembg-kit: comment ${result.created ? "created" : "updated"}: ${result.url}`);
  }
}

// src/model-cache-key.ts
import { createHash } from "node:crypto";
import { createReadStream, existsSync as existsSync4 } from "node:fs";
import { resolve as resolve3 } from "node:path";
import { pipeline } from "node:stream/promises";
var modelCacheName = (model) => model.replace(/[^A-Za-z0-9._@-]+/g, "_");
async function modelCacheKey(model, cwd) {
  const name = modelCacheName(model);
  const source = models[model]?.source;
  if (source?.kind === "url") return `${name}-${source.sha256 ?? source.md5 ?? "unverified"}`;
  if (source?.kind === "imgly") return `${name}-imgly-${source.variant}`;
  const path = resolve3(cwd, model);
  if (!existsSync4(path)) return name;
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return `${name}-${hash.digest("hex")}`;
}

// src/index.ts
async function nameModelCache() {
  const model = getInput("model") || "isnet-general-use";
  setOutput("name", modelCacheName(model));
  setOutput("key", await modelCacheKey(model, process.env.GITHUB_WORKSPACE || process.cwd()));
}
setFlagsFromString("--liftoff-only");
var work = process.argv[2] === "model-cache-key" ? nameModelCache() : run();
work.catch((error2) => setFailed(describeError(error2)));
