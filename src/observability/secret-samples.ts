const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE64URL = `${BASE62}_-`;

/**
 * A deterministic random-looking run of `alphabet`, like the body of a real key. Built at run
 * time so that no key-shaped literal sits in the source for secret scanners to flag.
 */
function tokenBody(length: number, seed: number, alphabet = BASE62): string {
  let text = "";
  // xorshift32: integer-only, so no precision is lost as in a float multiply.
  let state = seed >>> 0 || 1;
  for (let index = 0; index < length; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    text += alphabet[state % alphabet.length];
  }
  return text;
}

/**
 * Fake keys in the real shape and length of each provider's, for tests that check that
 * redaction removes them (here, and in layers that log or store provider data).
 */
export function providerKeySamples() {
  return {
    openaiLegacy: `sk-${tokenBody(20, 1)}T3BlbkFJ${tokenBody(20, 2)}`,
    openaiProject: `sk-proj-${tokenBody(156, 3, BASE64URL)}`,
    anthropic: `sk-ant-api03-${tokenBody(93, 4, BASE64URL)}AA`,
    xai: `xai-${tokenBody(80, 5)}`,
    google: `AIzaSy${tokenBody(33, 6, BASE64URL)}`,
    githubPersonal: `ghp_${tokenBody(36, 7)}`,
    githubOauth: `gho_${tokenBody(36, 8)}`,
    githubUser: `ghu_${tokenBody(36, 9)}`,
    githubServer: `ghs_${tokenBody(36, 10)}`,
    githubRefresh: `ghr_${tokenBody(36, 11)}`,
    githubFineGrained: `github_pat_${tokenBody(22, 12)}_${tokenBody(59, 13)}`,
    groq: `gsk_${tokenBody(52, 14)}`,
    huggingFace: `hf_${tokenBody(34, 15)}`,
    jwt: `eyJhbGciOiJIUzI1NiJ9.eyJ${tokenBody(40, 16)}.${tokenBody(43, 17, BASE64URL)}`,
  };
}

/** An opaque credential with no recognisable shape: only its context can give it away. */
export function opaqueSecret(seed: number): string {
  return tokenBody(32, 1000 + seed);
}
