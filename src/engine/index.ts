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
export type {
  ApprovalStep,
  BuiltinReducerName,
  CodeStep,
  CodeStepContext,
  CommandStep,
  EvaluationScope,
  Expression,
  FailurePolicy,
  FanoutStep,
  InputSpec,
  InputType,
  LoopSpec,
  LoopStopReason,
  PromptStep,
  ReducerFunction,
  StateChannel,
  StepBase,
  StepDefinition,
  StepKind,
  StepView,
  SubWorkflowStep,
  Template,
  WorkflowDefinition,
} from "./workflow-definition.js";
