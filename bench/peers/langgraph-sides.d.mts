import type { WorkflowSide } from "../workflow-side.js";

export function langGraphSqliteSide(path: string): WorkflowSide;
export function langGraphPostgresSide(url: string, schema: string): Promise<WorkflowSide>;
