import { errorMarker, hasErrorMarker, OrkestraError } from "../../errors/index.js";

const marker = errorMarker("AgentError");

export type AgentErrorCode = "agent.unknown" | "agent.unassigned";

/**
 * A task that cannot be done by an agent: it names no agent, or one that is not configured.
 * Both are configuration or input mistakes (exit 2), never worth a retry as they are.
 */
export class AgentError extends OrkestraError {
  readonly [marker] = true;
  /** The agent the task named, when it named one. */
  readonly agent: string | undefined;

  constructor(
    message: string,
    options: { code: AgentErrorCode; agent?: string; hint?: string; cause?: unknown },
  ) {
    super(message, {
      code: options.code,
      hint: options.hint,
      cause: options.cause,
      invalidInput: true,
    });
    this.name = "AgentError";
    this.agent = options.agent;
  }

  static override isInstance(error: unknown): error is AgentError {
    return hasErrorMarker(error, marker);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), agent: this.agent ?? null };
  }
}
