/** The decision core's public surface: plain data in, plain data out, refusals as values. */
export * from './model.js';
export {
  AadObjectId, Collaborative, MemberOrganisation, OrganisationId,
  defaultBasis, defaultRuleText, isMember, loadCollaborative, memberIds, memberName, parseCollaborative, rolesOf, sameAadObjectId,
  type Roles,
} from './collaborative.js';
export { basisFigures, basisInWords, basisOf, describeRule, latestPerOrganisation, tally, thresholdInWords, type Counts, type Tally, type TallyOptions, type View } from './rules.js';
export { VoteInput, castVote, type CastVoteArgs, type VoteError } from './vote.js';
export { OnBehalfInput, recordOnBehalf, recordedByText, type OnBehalfError, type RecordOnBehalfArgs } from './on-behalf.js';
export { PollInput, openPoll, type OpenPollArgs, type PollError } from './poll.js';
export {
  checkGatewayStage, gatewayStatus, sameProgramme, stageInWords,
  type GatewayRefusal, type GatewayStageState, type GatewayStageStatus,
} from './gateway.js';
export { closePoll, reopenPoll, type ClosePollArgs, type CloseError, type ReopenError, type ReopenPollArgs } from './close.js';
export { DEADLINE_CLOSER, isDue } from './deadline.js';
export { Declaration, HANDLING_WORDS, INTEREST_HANDLINGS, InterestHandling } from './declaration.js';
export {
  DeclareInput, HandleInput, conflictedMembers, declarationText, declarationTexts, declareInterest, excludedByInterest, handleInterest,
  type InterestError,
} from './interests.js';
export { ATTENDANCE_WORDS, Attendance, AttendanceState, MemberAttendance, quoracy, quoracyText, takeAttendance, type Lookup, type Quoracy } from './attendance.js';
