export {
  type AgentConfig,
  type AgentDefinition,
  type AgentsConfig,
  agentDefinitions,
  agentModelAliases,
} from "./agent-definition.js";
export { AgentError, type AgentErrorCode } from "./agent-error.js";
export {
  type AgentBreakerState,
  type AgentHealth,
  type AgentHealthOptions,
  DEFAULT_HEALTH_WINDOW_MS,
  healthByAgent,
  readAgentHealth,
} from "./agent-health.js";
export {
  type AgentTask,
  type AgentTaskContext,
  type AgentTaskHandler,
  type AgentTaskHandlerOptions,
  type AgentTaskResult,
  agentPrompt,
  createAgentTaskHandler,
} from "./agent-task-handler.js";
export { capabilityWarning, missingCapabilities } from "./capability-coverage.js";
export {
  type ExplainAssignmentInput,
  type ExplainedTask,
  type ExplainTaskOptions,
  explainAssignment,
  explainTask,
  type TaskExplanation,
} from "./explain-task.js";
export { formatExplanation } from "./format-explanation.js";
export { runningTasksByAgent, type TaskLoadTable } from "./running-tasks.js";
export { matchSpecialties, type SpecialtyMatch } from "./specialty-match.js";
export {
  type AgentSignals,
  type AgentSuitability,
  type AgentTaskInput,
  chooseAgent,
  SUITABILITY_POINTS,
  type SuitabilityComponents,
  type SuitabilityInput,
  scoreAgents,
} from "./suitability.js";
