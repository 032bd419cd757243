import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  Octokit,
  paginateRest,
  restEndpointMethods
} from "./chunk-A6YIPWAL.js";
import "./chunk-NV5WPINZ.js";

// src/octokit.ts
var GitHub = Octokit.plugin(restEndpointMethods, paginateRest);
var proxyVariables = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"];
async function createOctokit(token, env) {
  if (proxyVariables.some((name) => env[name])) {
    const { getOctokit } = await import("./github-PL7RCSNA.js");
    return getOctokit(token);
  }
  const orchestration = env.ACTIONS_ORCHESTRATION_ID?.trim();
  return new GitHub({
    baseUrl: env.GITHUB_API_URL || "https://api.github.com",
    auth: `token ${token}`,
    ...orchestration ? { userAgent: `actions_orchestration_id/${orchestration.replace(/[^a-z0-9_.-]/gi, "_")}` } : {}
  });
}
export {
  createOctokit
};
