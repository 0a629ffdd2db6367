import { normalise } from './text.js';

/**
 * Questions Concord must not answer from the knowledge base, whatever words they share with
 * it. Checked before search: "what is the treatment for chest pain in a lead provider trust"
 * overlaps the KB but is a clinical question, and a wrong answer there could hurt someone.
 *
 * Patterns are matched against the normalised question (lower case, apostrophes removed).
 * Keep them specific: "leave" alone would catch "can a trust leave the collaborative?".
 */
export type OutOfScope = 'clinical' | 'hr-it' | 'general' | 'chit-chat';

interface ScopeRule {
  readonly scope: OutOfScope;
  readonly pattern: RegExp;
}

const rule = (scope: OutOfScope, pattern: RegExp): ScopeRule => ({ scope, pattern });

export const SCOPE_RULES: readonly ScopeRule[] = [
  // Clinical advice: symptoms, medicines, diagnosis, treatment, referring a named patient.
  rule('clinical', /\b(symptoms?|diagnos(e|is|ed)|dosage|doses?|dosing|overdose|side effects?|prescri(be|bed|ption)|medications?|medicines?|tablets?|mg|paracetamol|ibuprofen|aspirin|antibiotics?|insulin|contraindicat\w*)\b/),
  // Vaccination for oneself or a patient (not uptake figures, which the board papers report).
  rule('clinical', /\b(should|can|could|where( can)?|when (can|should)|how (do|can)) (i|we|my \w+|he|she|they) (get|have|book|take|give)\b.*\b(jabs?|vaccines?|vaccinat\w*|boosters?|flu)\b/),
  rule('clinical', /\b(jabs?|vaccines?|vaccinations?|boosters?)\b.*\b(safe|side effects?|reactions?|allergic|pregnan\w*)\b/),
  rule('clinical', /\b(chest pain|headaches?|migraines?|fever|temperature|rash|cough(ing)?|bleeding|vomit\w*|diarrh\w*|sore throat|infection|pregnan\w*|blood pressure|suicid\w*|self harm|overweight|diabet\w*|asthma|cancer symptoms|lump)\b/),
  rule('clinical', /\b(treat|treatment( options)? for|cure|therapy for|how (do|should) i (treat|manage) (a|my|the)?)\b.*\b(pain|condition|illness|disease|infection|injury|patient|child|baby)\b/),
  rule('clinical', /\b(refer|referral|admit|discharge|triage)\b.*\b(a|my|the|this) (patient|child|baby|client|service user)\b/),
  rule('clinical', /\b(am i|is (my|a) (child|baby|patient)|should i (see|go to|call) (a )?(gp|doctor|a&e|ae|hospital))\b/),
  rule('clinical', /\b(my|a) (patient|child|baby|son|daughter|mum|dad|wife|husband|partner) (has|is|feels|keeps)\b/),

  // HR helpdesk: pay, leave, contracts of employment, personal records.
  rule('hr-it', /\b(payslips?|pay slips?|salary|my pay|pay rise|overtime|expenses claim|claim (my )?expenses|tax code|p60|(nhs |my )?pension (pot|scheme|contributions?|age|forecast)|my pension|band [0-9]|agenda for change pay)\b/),
  rule('hr-it', /\b(annual leave|sick(ness)? (leave|absence)|study leave|parental leave|maternity (leave|pay)|paternity (leave|pay)|holiday (entitlement|allowance|request)|book (a )?(day off|holiday|leave)|time off|my rota|rota (request|swap|change)|shift swap|flexible working request|my (manager|line manager|appraisal|contract of employment))\b/),
  // IT helpdesk: accounts, devices, connectivity, applications not working.
  rule('hr-it', /\b(passwords?|log ?in|sign ?in|locked out|laptop|computer|printer|printing|wi ?fi|vpn|smartcard|smart card|mfa|authenticator|outlook|mailbox|email (is )?(not|isnt|down)|install|software|it (help ?desk|service desk|support)|reset my)\b/),
  rule('hr-it', /\b(teams|(my|the) pc) (is |keeps )?(not working|crashing|down|broken|freezing|wont (start|work|turn on))|\b(camera|microphone|headset|screen) (not|isnt|wont)\b/),

  // General knowledge and everyday queries outside the guidance.
  rule('general', /\b(weather|forecast for|temperature (today|tomorrow)|capital (city )?of|football|premier league|world cup|cricket|recipes?|cooking|movie|film|song|lyrics|stock price|share price|bitcoin|lottery|horoscope|what time is it|todays date|what day is it|translate|tallest|president of|prime minister of|who is (the )?(mayor|governor|king|queen) of)\b/),
  // Public NHS services: the NHS website or the organisation concerned answers these, not the guidance.
  rule('general', /\b(nhs 111|111 (service|online)|call 111|register (with|at) (a|my|the)? ?(gp|doctor|dentist|practice)|complain(t)? about (a|my|the)|make a complaint|apply for (a )?(job|vacancy|role)|job vacancies|(car )?park(ing)? at|freedom of information|foi request|nhs app|book (a|an|my) (appointment|gp)|repeat prescription)\b/),
  // This year's money: the sources' figures stop at 2022/23, so a current budget or allocation is a guess.
  rule('general', /\b(budget|allocation|deficit|funding|income|spend)\b.*\b(this|next) (financial )?year\b|\b(this|next) (financial )?years? (budget|allocation|deficit|funding)\b|\bcurrent (budget|allocation|deficit)\b/),
  // A trust's rating today: the sources are dated snapshots (2021-2023) and CQC publishes current ratings.
  rule('general', /\b(current|latest|most recent|todays?)\b.*\bcqc (rating|rated)\b|\bcqc (rating|rated)\b.*\b(now|currently|at the moment|latest|most recently)\b/),
  // "Who wrote the stepwise paper" asks about a source document, so only books and songs count.
  rule('general', /\b(who (won|invented|painted|discovered)|who wrote (a |the )?(song|book|novel|poem|play|film|movie|lyrics)|how (far|tall|old) is|how many (legs|days in|people live))\b/),

  // Chit-chat: the whole message is a greeting, a pleasantry or small talk.
  rule('chit-chat', /^\s*(help|hi|hello|hey|hiya|yo|good (morning|afternoon|evening)|morning|thanks|thank you|cheers|ta|bye|goodbye|ok|okay|cool|great|nice|lol|test(ing)?)( there| concord| bot| all| everyone)?[\s!.?]*$/),
  rule('chit-chat', /\b(how are you|how r u|hows it going|whats up|tell me a joke|(say|tell) (me )?something funny|are you (a )?(human|real|a robot|a bot|alive|sentient)|do you (love|like) me|whats your name|what can you (do|help( me)? with|answer)|who (are|made) you|what is your name|sing|i am bored|im bored|meaning of life|marry me)\b/),
];

/** The out-of-scope category of a question, or null if it may be a guidance question. */
export function outOfScope(question: string): OutOfScope | null {
  const text = normalise(question).replace(/\s+/g, ' ');
  for (const { scope, pattern } of SCOPE_RULES) if (pattern.test(text)) return scope;
  return null;
}
