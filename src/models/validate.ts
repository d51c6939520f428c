// Parameter validation for the hypervisor models: the engine's one argument-check module
// (src/sim/check.ts), re-exported here so model code keeps importing `../validate.js`. Message format:
// `<where>: <field> must be <allowed range>, got <value>` (a RangeError).
export { rangeFail, checkInt, checkNumber, checkOneOf, checkName, checkBool } from '../sim/check.js';
