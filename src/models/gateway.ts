import type { OrkestraConfig } from "../config/index.js";
import { didYouMean } from "../config/index.js";
import { UsageError } from "../errors/index.js";
import { createLogger, type Logger } from "../observability/index.js";
import type { Store } from "../store/index.js";
import { BudgetGuard } from "./budget/budget-guard.js";
import { generateOnModel } from "./call/generate-on-model.js";
import { type CallContext, type GatewayServices, startCall } from "./call/model-call-context.js";
import type { ModelRequest, ModelResult } from "./call/model-request.js";
import { HOLD_GRACE_MS, worstCaseNanoUsd } from "./call/prepare-model.js";
import { ModelCallFailure } from "./errors/model-call-failure.js";
import { ModelError } from "./errors/model-error.js";
import { ProviderRegistry } from "./providers/provider-registry.js";
import { CircuitBreakerRegistry } from "./routing/circuit-breaker.js";
import { type ModelPlan, planModel } from "./routing/model-plan.js";
import { RateLimiterRegistry } from "./routing/rate-limiter.js";
import { runChain } from "./routing/run-chain.js";
import type { ModelStream } from "./streaming/model-stream.js";
import { streamCall } from "./streaming/stream-call.js";
import { nanoUsdToUsd } from "./usage/cost.js";
import { ModelLedger } from "./usage/model-ledger.js";

export type GatewayConfigSlice = Pick<
  OrkestraConfig,
  "models" | "fallbacks" | "gateway" | "budget"
>;

export interface GatewayOptions {
  config: GatewayConfigSlice;
  /** Ledger rows, budget counters and audit events go here. Without a store: no ledger, no budgets. */
  store?: Store;
  /** @defaultValue a silent logger */
  logger?: Logger;
  /** Where API keys are read from. @defaultValue process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Replaces global fetch for every provider (tests, proxies). */
  fetch?: typeof globalThis.fetch;
  /**
   * Values to scrub from every error message and error cause, on top of the API keys and
   * header values the gateway finds in `config` and `env` itself: pass `LoadedConfig.secrets`
   * (it adds the values of `${VAR}`).
   */
  secrets?: readonly string[];
  /** Who the audit trail names for this gateway's decisions. @defaultValue "gateway" */
  actor?: string;
  /**
   * Token buckets, shared by every call that uses the same registry. Pass one registry (or
   * `processRateLimiters`) to several gateways to share their buckets.
   * @defaultValue a registry of this gateway's own
   */
  limiters?: RateLimiterRegistry;
  /**
   * Circuit breakers; a registry keeps the settings a breaker was built with, so share one only
   * between gateways that configure each alias alike. @defaultValue a registry of this gateway's own
   */
  breakers?: CircuitBreakerRegistry;
  /** @defaultValue Date.now */
  now?: () => number;
  /** Source of jitter, in [0, 1). @defaultValue Math.random */
  random?: () => number;
}

/** One model of a fan-out that gave no answer. */
export interface ModelFailure {
  /** The model or chain name that was asked. */
  model: string;
  error: ModelError;
  /** Attempts across its chain. */
  attempts: number;
  durationMs: number;
}

/** The outcome of asking several models at once: partial success is success. */
export interface FanOutOutcome<Output = unknown> {
  results: ModelResult<Output>[];
  failures: ModelFailure[];
  durationMs: number;
}

/** Breaker transitions worth an audit row: a model taken out of service, or back in. */
const AUDITED_BREAKER_EVENTS = new Set(["breaker:open", "breaker:close"]);

/**
 * The one call path to every model: resolve alias or chain → budget hold → breaker → rate
 * limit → provider call with per-attempt timeout → classify → retry, fall back or fail →
 * usage, cost, budget settle, ledger row. Every call ends in a result or one ModelError.
 */
export class Gateway {
  private readonly config: GatewayConfigSlice;
  private readonly services: GatewayServices;
  private readonly plans = new Map<string, ModelPlan>();
  private readonly limiters: RateLimiterRegistry;
  private readonly breakers: CircuitBreakerRegistry;
  private readonly stopAuditingBreakers: () => void;
  private readonly store: Store | undefined;
  private readonly actor: string;

  constructor(options: GatewayOptions) {
    this.config = options.config;
    this.store = options.store;
    this.actor = options.actor ?? "gateway";
    this.limiters = options.limiters ?? new RateLimiterRegistry();
    this.breakers = options.breakers ?? new CircuitBreakerRegistry();
    const logger = options.logger ?? createLogger({ level: "silent" });
    const store = options.store;
    const holdTtlMs = options.config.gateway.deadlineMs + HOLD_GRACE_MS;
    this.services = {
      registry: new ProviderRegistry({
        models: options.config.models,
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
      }),
      budget: store
        ? new BudgetGuard(store, options.config.budget, {
            holdTtlMs,
            ...(options.now ? { now: options.now } : {}),
          })
        : undefined,
      ledger: store ? new ModelLedger(store, logger, this.actor) : undefined,
      audit: (action, resource, outcome, data) => this.audit(action, resource, outcome, data),
      logger,
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
    };
    this.stopAuditingBreakers = this.breakers.onEvent((event) => {
      if (!this.config.models[event.name]) return;
      logger.warn(
        { model: event.name, state: event.to, failures: event.consecutiveFailures },
        `circuit breaker ${event.from} → ${event.to}`,
      );
      if (AUDITED_BREAKER_EVENTS.has(event.type)) {
        this.audit(event.type, `model:${event.name}`, event.to, {
          from: event.from,
          consecutiveFailures: event.consecutiveFailures,
          failureKind: event.failureKind ?? null,
          retryAt: event.retryAt ?? null,
        });
      }
    });
  }

  /**
   * This gateway with `defaults` in every request: the ledger's run, task and step ids, and
   * hard spend limits that add to a request's own (a workflow run gives its steps a view with
   * its `budgetUsd`; a sub-workflow's view of that view adds the child's). The view shares
   * everything else (providers, breakers, limiters, ledger, budgets) with this gateway.
   */
  withDefaults(defaults: RequestDefaults): Gateway {
    const merge = <Request extends Omit<ModelRequest<unknown>, "model">>(
      request: Request,
    ): Request => {
      const limits = [...(defaults.spendLimits ?? []), ...(request.spendLimits ?? [])];
      return {
        ...pickIds(defaults),
        ...request,
        ...(limits.length === 0 ? {} : { spendLimits: limits }),
      };
    };
    const view = Object.create(this) as Gateway;
    // Each goes to this gateway's own method with the merged request, so fanOut's calls to
    // generate are not merged twice.
    view.generate = (request) => this.generate(merge(request));
    view.stream = (request) => this.stream(merge(request));
    view.fanOut = (models, request) => this.fanOut(models, merge(request));
    view.withDefaults = (more) =>
      this.withDefaults({
        ...pickIds(defaults),
        ...pickIds(more),
        spendLimits: [...(defaults.spendLimits ?? []), ...(more.spendLimits ?? [])],
      });
    return view;
  }

  /** Configured model aliases. */
  get models(): string[] {
    return Object.keys(this.config.models);
  }

  /**
   * The models a call on `name` tries, in order: the alias itself or the chain's members, then
   * `fallback`, without repeats. An unknown name is a usage error that lists the known ones.
   */
  resolveChain(name: string, fallback: readonly string[] = []): string[] {
    const chain: string[] = [];
    for (const entry of [name, ...fallback]) {
      const members =
        this.config.fallbacks[entry] ?? (this.config.models[entry] ? [entry] : undefined);
      if (!members) throw this.unknownModel(entry);
      for (const member of members) if (!chain.includes(member)) chain.push(member);
    }
    return chain;
  }

  /** Asks one model (or chain) and returns its answer, or throws one ModelError. */
  async generate<Output = unknown>(request: ModelRequest<Output>): Promise<ModelResult<Output>> {
    const chain = this.resolveChain(request.model, request.fallback).map((alias) =>
      this.plan(alias),
    );
    const context = this.startCall(request as ModelRequest<unknown>);
    try {
      const result = await runChain(chain, this.services, context, { runModel: generateOnModel });
      return result as ModelResult<Output>;
    } finally {
      context.dispose();
    }
  }

  /**
   * Streams one model's (or chain's) answer. Retries and fallbacks apply until the first
   * content arrives; after that a failure ends the stream with an `incomplete` event (and
   * `result` rejects with an IncompleteStreamError): never a clean finish, never a switch of
   * model mid-answer. Structured output (`schema`) is not available when streaming.
   */
  stream(request: ModelRequest): ModelStream {
    if (request.schema) {
      throw new UsageError("structured output (schema) cannot be streamed", {
        hint: "Use generate() for schema-validated answers.",
      });
    }
    const chain = this.resolveChain(request.model, request.fallback).map((alias) =>
      this.plan(alias),
    );
    return streamCall(this.services, chain, this.startCall(request));
  }

  /**
   * Asks several models (or chains) the same thing at once. One model failing never fails
   * the others; the outcome lists answers and failures. Unknown names are a usage error up front.
   */
  async fanOut<Output = unknown>(
    models: readonly string[],
    request: Omit<ModelRequest<Output>, "model">,
  ): Promise<FanOutOutcome<Output>> {
    for (const model of models) this.resolveChain(model, request.fallback);
    const startedAt = this.services.now();
    const settled = await Promise.allSettled(
      models.map((model) => this.generate<Output>({ ...request, model })),
    );
    // A failure that is not a model's (bad usage, the store down while holding budget) is not
    // a partial failure: it is the caller's to see, as it would be for one model.
    const foreign = settled.find(
      (entry) => entry.status === "rejected" && !ModelError.isInstance(entry.reason),
    );
    if (foreign?.status === "rejected") throw foreign.reason;
    const outcome: FanOutOutcome<Output> = { results: [], failures: [], durationMs: 0 };
    settled.forEach((entry, index) => {
      const model = models[index] ?? "";
      if (entry.status === "fulfilled") {
        outcome.results.push(entry.value);
        return;
      }
      const error = entry.reason as ModelError;
      const attempts = ModelCallFailure.isInstance(error) ? error.attempts : [];
      outcome.failures.push({
        model,
        error,
        attempts: attempts.length,
        durationMs:
          attempts.length === 0
            ? 0
            : (attempts.at(-1)?.startedAt ?? startedAt) +
              (attempts.at(-1)?.durationMs ?? 0) -
              startedAt,
      });
    });
    outcome.durationMs = this.services.now() - startedAt;
    return outcome;
  }

  /**
   * The most `request` can cost, USD: what budgets hold for it (a repair turn included when it
   * has a schema), summed over every model of its chain, since each may spend before one
   * answers. Unpriced models count 0. For callers that cap their own spend (a vote's budget).
   */
  worstCaseCostUsd(request: ModelRequest): number {
    const chain = this.resolveChain(request.model, request.fallback).map((alias) =>
      this.plan(alias),
    );
    const context = this.startCall(request);
    try {
      let total = 0;
      for (const plan of chain) {
        total += worstCaseNanoUsd(plan, context, request.maxTokens ?? plan.maxTokens);
      }
      return nanoUsdToUsd(total);
    } finally {
      context.dispose();
    }
  }

  /** Waits for ledger rows and audit events in flight; the gateway stays usable. */
  async flush(): Promise<void> {
    await this.services.ledger?.flush();
    await Promise.allSettled([...this.pendingAudits]);
  }

  /** Flushes and stops listening to breaker events. Does not close the store. */
  async close(): Promise<void> {
    this.stopAuditingBreakers();
    await this.flush();
  }

  /** @internal the plan for an alias, made once. */
  plan(alias: string): ModelPlan {
    let plan = this.plans.get(alias);
    if (!plan) {
      const settings = this.config.models[alias];
      if (!settings) throw this.unknownModel(alias);
      plan = planModel(alias, settings, {
        gateway: this.config.gateway,
        limiters: this.limiters,
        breakers: this.breakers,
        logger: this.services.logger,
      });
      this.plans.set(alias, plan);
    }
    return plan;
  }

  /** @internal */
  startCall(request: ModelRequest<unknown>): CallContext {
    return startCall(request, this.config.gateway.deadlineMs, this.services.now());
  }

  /** @internal */
  get gatewayServices(): GatewayServices {
    return this.services;
  }

  private readonly pendingAudits = new Set<Promise<unknown>>();

  private audit(
    action: string,
    resource: string,
    outcome: string,
    data: Record<string, unknown>,
  ): void {
    if (!this.store) return;
    const pending = this.store.audit
      .append({ actor: this.actor, action, resource, outcome, data })
      .catch((error: unknown) =>
        this.services.logger.error({ err: error, action }, "could not write audit event"),
      )
      .finally(() => this.pendingAudits.delete(pending));
    this.pendingAudits.add(pending);
  }

  private unknownModel(name: string): UsageError {
    const known = Object.keys(this.config.models);
    const chains = Object.keys(this.config.fallbacks);
    const suggestion = didYouMean(name, [...known, ...chains]);
    return new UsageError(
      `unknown model "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`,
      {
        hint: `Known models: ${known.join(", ") || "(none)"}${chains.length > 0 ? `; fallback chains: ${chains.join(", ")}` : ""}. Add it under models: in orkestra.yaml.`,
      },
    );
  }
}

/** What {@link Gateway.withDefaults} puts in every request. */
export type RequestDefaults = Pick<ModelRequest, "runId" | "taskId" | "stepId" | "spendLimits">;

function pickIds(defaults: RequestDefaults): Pick<ModelRequest, "runId" | "taskId" | "stepId"> {
  return {
    ...(defaults.runId === undefined ? {} : { runId: defaults.runId }),
    ...(defaults.taskId === undefined ? {} : { taskId: defaults.taskId }),
    ...(defaults.stepId === undefined ? {} : { stepId: defaults.stepId }),
  };
}

export function createGateway(options: GatewayOptions): Gateway {
  return new Gateway(options);
}
