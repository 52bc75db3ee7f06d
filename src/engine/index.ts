export {
  type Approval,
  type ApprovalStatus,
  approve,
  type DecisionOptions,
  findApproval,
  type ListApprovalsOptions,
  listApprovals,
  reject,
} from "./approvals/approval-records.js";
export { ancestorsOf, checkDefinition } from "./builder/check-definition.js";
export {
  functionExpression,
  functionTemplate,
  type ScopeFunction,
} from "./builder/function-expression.js";
export type {
  ApprovalStepOptions,
  CodeStepOptions,
  CommandStepOptions,
  CommonStepOptions,
  FanoutStepOptions,
  LoopOptions,
  PromptStepOptions,
  SubWorkflowStepOptions,
  TemplateInput,
} from "./builder/step-options.js";
export {
  type InputOptions,
  type PromptOutput,
  type StateOptions,
  WorkflowBuilder,
  workflow,
} from "./builder/workflow-builder.js";
export { ExpressionError } from "./definition/expression-error.js";
export {
  type LoadWorkflowOptions,
  loadWorkflowFile,
  type ParseWorkflowOptions,
  parseWorkflowText,
} from "./definition/load-workflow-file.js";
export { resolveInputs } from "./definition/resolve-inputs.js";
export {
  WorkflowFileError,
  type WorkflowFileErrorOptions,
} from "./definition/workflow-file-error.js";
export { type InputIssue, WorkflowInputError } from "./definition/workflow-input-error.js";
export type { WorkflowIssue } from "./definition/workflow-issue.js";
export {
  type AnalyzeGraphOptions,
  analyzeGraph,
  DEFAULT_STEP_ESTIMATE_MS,
  type GraphAnalysis,
  graphNodesOf,
} from "./graph/analyze-graph.js";
export type { GraphNode } from "./graph/graph-node.js";
export {
  createWorkflowTaskHandler,
  type EnqueuedRun,
  enqueueRun,
  WORKFLOW_QUEUE,
  WORKFLOW_TASK_KIND,
  type WorkflowTaskHandlerOptions,
} from "./queue/index.js";
export { definitionHash } from "./run/definition-hash.js";
export {
  type CancelRunOptions,
  cancelRun,
  countRuns,
  gcRuns,
  listRuns,
  liveRunSource,
  type ResumeRunOptions,
  type RunHandle,
  type RunListEntry,
  requireRunSource,
  resumeRun,
  runWorkflow,
  startResume,
  startRun,
} from "./run/run-api.js";
export { RunEmitter, type RunEvent, type RunEventOf, type RunEventType } from "./run/run-events.js";
export {
  RUN_LEASE_HEARTBEAT_MS,
  RUN_LEASE_TTL_MS,
} from "./run/run-lease.js";
export type { DriveOptions, StartRunOptions } from "./run/run-options.js";
export { getRun, type RunSummary, type StepSummary } from "./run/run-summary.js";
export type { StepContext, TypedStepView } from "./run/step-context.js";
export { BUILTIN_REDUCERS } from "./state/reducers.js";
export { ENGINE_MIGRATIONS } from "./store/engine-migrations.js";
export type {
  ApprovalTable,
  EngineTables,
  RunIterationTable,
  RunTable,
  StepAttemptTable,
} from "./store/engine-tables.js";
export type { RunStatus, StepStatus } from "./store/run-records.js";
export type * from "./workflow-definition.js";
export { WorkflowError, type WorkflowErrorCode } from "./workflow-error.js";
