import type { ConfigIssue } from "../../config/index.js";

/**
 * One problem with a workflow definition: a config-style issue plus the file it is in, because a
 * workflow's problems can sit in the sub-workflow files it includes.
 */
export interface WorkflowIssue extends ConfigIssue {
  /** The file as shown in messages (relative to the working directory when inside it). */
  file: string;
}
