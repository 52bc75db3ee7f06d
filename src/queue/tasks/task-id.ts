import { randomBytes } from "node:crypto";

/** Crockford's base32: sorts in the same order as the numbers it spells. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RANDOM_CHARS = 16;

let lastTime = -1;
let lastRandom: number[] = [];

/**
 * A ULID: 10 characters of epoch ms, then 16 of randomness, 26 in all. Ids sort by creation
 * time, so "oldest first" is the primary key's order. Within one millisecond of one process
 * the random part is incremented instead of drawn again, so ids made here are strictly
 * increasing; ids from two processes in the same millisecond sort in either order.
 */
export function newTaskId(now: number = Date.now()): string {
  const time = Math.max(Math.trunc(now), lastTime);
  if (time === lastTime) {
    increment(lastRandom);
  } else {
    lastTime = time;
    lastRandom = [...randomBytes(RANDOM_CHARS)].map((byte) => byte & 31);
  }
  return encodeTime(time) + lastRandom.map((digit) => ALPHABET[digit]).join("");
}

function encodeTime(time: number): string {
  let text = "";
  let rest = time;
  for (let index = 0; index < 10; index += 1) {
    text = ALPHABET[rest % 32] + text;
    rest = Math.floor(rest / 32);
  }
  return text;
}

/** Adds one to a base-32 number, most significant digit first (wraps around after 32^16 ids in one ms). */
function increment(digits: number[]): void {
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    const digit = (digits[index] as number) + 1;
    if (digit < 32) {
      digits[index] = digit;
      return;
    }
    digits[index] = 0;
  }
}
