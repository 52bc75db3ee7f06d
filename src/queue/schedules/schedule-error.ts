import { errorMarker, hasErrorMarker, OrkestraError } from "../../errors/index.js";

const marker = errorMarker("ScheduleError");

export type ScheduleErrorCode = "schedule.invalid";

/**
 * A schedule given to the scheduler that cannot run: a cron expression that does not parse, an
 * unknown time zone, no target. The caller's to fix (exit 2). Schedules read from orkestra.yaml
 * were checked when the file was loaded, so a worker meets this only through the library.
 */
export class ScheduleError extends OrkestraError {
  readonly [marker] = true;
  /** The schedule's name. */
  readonly schedule: string;

  constructor(
    message: string,
    options: { code: ScheduleErrorCode; schedule: string; hint?: string; cause?: unknown },
  ) {
    super(message, { ...options, invalidInput: true });
    this.name = "ScheduleError";
    this.schedule = options.schedule;
  }

  static override isInstance(error: unknown): error is ScheduleError {
    return hasErrorMarker(error, marker);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), schedule: this.schedule };
  }
}
