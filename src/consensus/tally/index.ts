export { tally, VOTING_METHODS } from "./tally.js";
