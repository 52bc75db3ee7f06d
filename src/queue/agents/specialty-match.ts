import { normalizeTag } from "../../config/agents-schema.js";

/** Where a specialty was found in a task. */
export interface SpecialtyMatch {
  specialty: string;
  in: "capabilities" | "title" | "instructions";
}

/** The parts of a task that specialties are looked for in. */
export interface SpecialtyText {
  title: string;
  instructions: string;
  capabilities: readonly string[];
}

/**
 * The agent's specialties that the task mentions, first place found: one of the task's
 * capabilities (compared case-insensitively), else a whole word of its title, else of its
 * instructions. "Whole word" means not preceded or followed by a letter or digit, so `go`
 * does not match `good` and `c++` matches `c++,`.
 */
export function matchSpecialties(
  specialties: readonly string[],
  task: SpecialtyText,
): SpecialtyMatch[] {
  const capabilities = new Set(task.capabilities.map(normalizeTag));
  const matches: SpecialtyMatch[] = [];
  for (const specialty of specialties) {
    const wanted = normalizeTag(specialty);
    if (capabilities.has(wanted)) matches.push({ specialty, in: "capabilities" });
    else if (containsWord(task.title, wanted)) matches.push({ specialty, in: "title" });
    else if (containsWord(task.instructions, wanted)) {
      matches.push({ specialty, in: "instructions" });
    }
  }
  return matches;
}

function containsWord(text: string, word: string): boolean {
  if (word === "") return false;
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "iu").test(text);
}
