/**
 * What providers say in their messages, for the failures they do not give a code for. Each
 * pattern cites the wording it was written against.
 */
export const ERROR_TEXT = {
  /**
   * Anthropic "prompt is too long: 208310 tokens > 200000 maximum" and "input length and
   * `max_tokens` exceed context limit"; OpenAI "This model's maximum context length is 8192
   * tokens"; xAI "maximum prompt length is 131072"; Gemini "The input token count (1200000)
   * exceeds the maximum number of tokens allowed"; Gemini "Request payload size exceeds the
   * limit".
   */
  contextLength:
    /prompt is too long|maximum context length|context[_ ]length[_ ]exceeded|exceeds? (?:the )?context (?:limit|window)|context window|too many tokens|maximum prompt length|exceeds the maximum number of tokens|input token count.{0,40}exceeds|payload size exceeds/i,
  /**
   * Anthropic "Your credit balance is too low"; OpenAI "You exceeded your current quota, please
   * check your plan and billing details"; xAI "used all available credits or reached its
   * monthly spending limit"; resellers' "insufficient credits".
   */
  quota:
    /insufficient[_ ]quota|credit balance is too low|exceeded your current quota|insufficient (?:credits|balance|funds)|available credits|spending limit|billing_not_active|account is not active/i,
  /**
   * OpenAI "Incorrect API key provided", xAI the same with a 400, Gemini "API key not valid",
   * Anthropic "invalid x-api-key".
   */
  auth: /incorrect api key|invalid api key|api key not valid|invalid x-api-key|api key (?:is )?(?:missing|expired|revoked)|invalid authentication/i,
  /**
   * OpenAI "The model `gpt-9` does not exist or you do not have access to it"; Ollama
   * "model \"llama9\" not found, try pulling it first".
   */
  modelNotFound:
    /\bmodel\b.{0,120}\b(?:not found|does not exist)|no such model|unknown model|try pulling it first/i,
  /** OpenAI "The engine is currently overloaded"; Gemini "The model is overloaded". */
  overloaded: /overloaded|over capacity|at capacity|high demand/i,
  /**
   * Azure "The response was filtered due to the prompt triggering Azure OpenAI's content
   * management policy"; OpenAI "Invalid prompt: your prompt was flagged as potentially
   * violating our usage policy".
   */
  contentFilter:
    /content[_ ]filter|content[_ ]policy|content management policy|flagged|usage polic|safety system/i,
} as const;
