import { Buffer } from "node:buffer";
import type { PriceRates, PriceSchedule } from "./price-table.js";
import type { TokenUsage } from "./token-usage.js";

/**
 * Money is counted in integer nano-USD (1e-9 USD) so budget sums are exact: a JavaScript number
 * holds integers exactly up to 2^53, about 9 million USD in nano-USD, far above any budget.
 */
export const NANO_USD_PER_USD = 1_000_000_000;

const TOKENS_PER_MILLION = 1_000_000n;

/**
 * Overhead the provider adds to a prompt beyond its text (role markers, message separators,
 * the reply primer), which is not in the text's bytes. OpenAI's chat format adds about 4 tokens
 * a message and 3 for the reply; these allowances are generous on purpose.
 */
export const PROMPT_OVERHEAD_TOKENS = 32;
export const PER_PART_OVERHEAD_TOKENS = 16;

export function usdToNanoUsd(usd: number): number {
  return Math.round(usd * NANO_USD_PER_USD);
}

export function nanoUsdToUsd(nanoUsd: number): number {
  return nanoUsd / NANO_USD_PER_USD;
}

/** `$0`, `$0.000123` below a cent, `$1.2345` above: enough digits to see what a test call cost. */
export function formatUsd(usd: number): string {
  if (usd === 0) return "$0";
  return usd < 0.01 ? `$${usd.toFixed(6)}` : `$${usd.toFixed(4)}`;
}

/** What a call cost both ways: nano-USD to settle budgets with, USD to report. Unpriced: 0. */
export function callCost(
  usage: Readonly<TokenUsage>,
  price: Readonly<PriceSchedule> | undefined,
): { nanoUsd: number; usd: number } {
  const nanoUsd = price ? costNanoUsd(usage, price) : 0;
  return { nanoUsd, usd: nanoUsdToUsd(nanoUsd) };
}

/**
 * What a call cost, in nano-USD, rounded up so spend is never under-counted. Each token is
 * priced once, by its own field: cached input at the cache prices, reasoning at the reasoning
 * price. When the price has a long-context tier and the prompt (cached tokens included) is
 * above it, the whole call is priced at the long-context rates, as Anthropic and Google bill.
 */
export function costNanoUsd(usage: Readonly<TokenUsage>, price: Readonly<PriceSchedule>): number {
  const promptTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  const long = price.longContext;
  const rates = long !== undefined && promptTokens > long.aboveInputTokens ? long : price;
  const nanoTimesMillion =
    term(usage.inputTokens, rates.input) +
    term(usage.cacheReadTokens, rates.cacheRead) +
    term(usage.cacheWriteTokens, rates.cacheWrite) +
    term(usage.outputTokens, rates.output) +
    term(usage.reasoningTokens, rates.reasoning);
  return Number(divideRoundingUp(nanoTimesMillion, TOKENS_PER_MILLION));
}

export interface CostBound {
  /** An upper bound on the prompt's tokens, for example from {@link inputTokensBound}. */
  inputTokensBound: number;
  /** The output cap sent with the call. */
  maxOutputTokens: number;
}

/**
 * The most a call can cost, in nano-USD: what a budget reserves before the call. Every input
 * token is priced at the dearest input rate (a cache write can cost more than plain input), every
 * output token at the dearer of output and reasoning. Each token is counted once, whatever the
 * cache does with it. A bound above a long-context threshold takes the dearer of both tiers,
 * since the real prompt may fall on either side.
 */
export function maxCostNanoUsd(bound: CostBound, price: Readonly<PriceSchedule>): number {
  const tiers: PriceRates[] = [price];
  const long = price.longContext;
  if (long !== undefined && bound.inputTokensBound > long.aboveInputTokens) tiers.push(long);
  const inputRate = Math.max(
    ...tiers.flatMap((rates) => [rates.input, rates.cacheRead, rates.cacheWrite]),
  );
  const outputRate = Math.max(...tiers.flatMap((rates) => [rates.output, rates.reasoning]));
  const nanoTimesMillion =
    term(bound.inputTokensBound, inputRate) + term(bound.maxOutputTokens, outputRate);
  return Number(divideRoundingUp(nanoTimesMillion, TOKENS_PER_MILLION));
}

/**
 * An upper bound on the tokens of a prompt made of `parts` (system text, each message, a
 * structured-output schema as JSON: everything the model reads). A BPE token (and a
 * SentencePiece token with byte fallback) covers at least one byte of text, so a text's UTF-8
 * byte length is at least its token count; the overhead allowances cover what the provider adds
 * around the text. Images and files are not text and are not bounded here.
 */
export function inputTokensBound(parts: readonly string[]): number {
  let bound = PROMPT_OVERHEAD_TOKENS;
  for (const part of parts) bound += Buffer.byteLength(part, "utf8") + PER_PART_OVERHEAD_TOKENS;
  return bound;
}

/** tokens × rate in nano-USD per million tokens, exactly, as a bigint. */
function term(tokens: number, usdPerMillionTokens: number): bigint {
  if (!(tokens > 0)) return 0n;
  // Prices have at most a few decimals, so rounding to a whole nano-USD per million is exact.
  const rate = BigInt(Math.round(usdPerMillionTokens * NANO_USD_PER_USD));
  return BigInt(Math.ceil(tokens)) * rate;
}

function divideRoundingUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}
