/**
 * Bodies built once per behaviour object and request kind. Behaviour objects are treated as
 * immutable: a benchmark that serves one reply thousands of times pays for JSON building once.
 */
const bodies = new WeakMap<object, Map<string, Buffer>>();

/** Bounds memory when one behaviour answers requests for very many models. */
const maximumBodiesPerBehaviour = 64;

export function cachedBody(behaviour: object, key: string, build: () => string): Buffer {
  let byKey = bodies.get(behaviour);
  if (byKey === undefined) {
    byKey = new Map();
    bodies.set(behaviour, byKey);
  }
  const cached = byKey.get(key);
  if (cached !== undefined) return cached;
  const body = Buffer.from(build());
  if (byKey.size < maximumBodiesPerBehaviour) byKey.set(key, body);
  return body;
}
