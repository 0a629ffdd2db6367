/**
 * The domain's acronyms and synonyms, expanded at query time only: the entries keep the
 * guidance's own words, and a question in staff shorthand ("can an ICB veto a CiC decision?")
 * still reaches them.
 *
 * `same` rows are equivalent both ways. `also` rows widen a colloquial word towards the
 * guidance's vocabulary but not back: "veto" should find "block", yet a question about
 * blocking is not about vetoes.
 */
export type SynonymRow =
  | { readonly same: readonly string[] }
  | { readonly when: readonly string[]; readonly also: readonly string[] };

/**
 * Acronyms whose meaning depends on case. "CiC" is always committees in common; "CIC" in
 * capitals is also how people write community interest company (a social enterprise form that
 * community providers take), so in capitals it carries both senses.
 */
export const CASED_SENSES: Readonly<Record<string, readonly string[]>> = {
  CIC: ['community interest company', 'community interest companies'],
  CICs: ['community interest company', 'community interest companies'],
};

export const SYNONYMS: readonly SynonymRow[] = [
  // Statutory bodies and structures (Health and Care Act 2022 vocabulary).
  { same: ['ics', 'integrated care system', 'integrated care systems'] },
  { same: ['icb', 'integrated care board', 'integrated care boards', 'ics nhs body'] },
  { same: ['icp', 'integrated care partnership', 'integrated care partnerships'] },
  { same: ['ccg', 'clinical commissioning group', 'clinical commissioning groups'] },
  { same: ['pcn', 'primary care network', 'primary care networks'] },
  { same: ['nhse', 'nhsei', 'nhse i', 'nhs england', 'nhs improvement', 'nhs england and nhs improvement'] },
  { same: ['dhsc', 'department of health and social care'] },
  { same: ['cqc', 'care quality commission'] },
  { same: ['ft', 'foundation trust', 'foundation trusts'] },
  { same: ['place', 'place based partnership', 'place based partnerships'] },
  // Forms of collaboration and governance named in the guidance.
  { same: ['cic', 'committees in common', 'committee in common'] },
  { same: ['plb', 'provider leadership board', 'provider leadership boards'] },
  { same: ['jv', 'joint venture', 'joint ventures'] },
  { same: ['mou', 'memorandum of understanding', 'memoranda of understanding'] },
  { same: ['jc', 'joint committee', 'joint committees'] },
  { same: ['sro', 'senior responsible owner', 'senior responsible officer'] },
  { same: ['pmo', 'programme management office'] },
  { same: ['ceo', 'chief executive', 'chief executives', 'chief exec'] },
  { same: ['collaborative', 'collaboratives', 'collaboration', 'collab', 'collabs'] },
  { same: ['pc', 'pcs', 'provider collaborative', 'provider collaboratives'] },
  { same: ['organisation', 'organization', 'organisations', 'organizations', 'org', 'orgs'] },
  { same: ['document', 'doc', 'docs', 'paper', 'papers', 'slides', 'slide pack', 'pack', 'deck', 'briefing'] },
  { same: ['vaccination', 'vaccinations', 'vaccine', 'vaccines', 'jab', 'jabs', 'booster'] },
  // Sectors and service lines.
  { same: ['mh', 'mental health'] },
  { same: ['mhlda', 'mental health learning disability and autism'] },
  { same: ['ld', 'learning disability', 'learning disabilities'] },
  { same: ['vcse', 'voluntary community and social enterprise', 'voluntary sector', 'third sector', 'charity', 'charities'] },
  { same: ['specialised', 'specialized', 'specialist'] },
  { same: ['wte', 'whole time equivalent'] },
  // Shorthand seen in Teams chat.
  { same: ['programme', 'programmes', 'prog', 'progs', 'program', 'programs'] },
  { same: ['committee', 'cttee', 'ctte'] },
  { same: ['board', 'brd'] },
  { same: ['year', 'yr', 'years', 'yrs'] },
  { same: ['qi', 'quality improvement'] },
  { same: ['llp', 'limited liability partnership'] },
  { same: ['ned', 'neds', 'non executive director', 'non executive directors', 'non exec'] },
  { same: ['notts', 'nottinghamshire', 'nottingham'] },
  { same: ['east mids', 'east midlands'] },
  { same: ['yorks', 'yorkshire'] },
  { same: ['covid', 'covid 19', 'pandemic', 'coronavirus'] },
  { same: ['percent', 'per cent', 'percentage', 'proportion'] },
  { same: ['2', 'two'] }, { same: ['3', 'three'] }, { same: ['4', 'four'] },
  { same: ['5', 'five'] }, { same: ['6', 'six'] },
  { same: ['m1', 'month 1'] }, { same: ['m2', 'month 2'] }, { same: ['m3', 'month 3'] },
  { same: ['2021', '21'] }, { same: ['2022', '22'] }, { same: ['2023', '23'] },
  // Colloquial words for how decisions are taken.
  { when: ['veto', 'vetoes', 'overrule', 'overrides', 'override', 'stop', 'say no', 'saying no', 'blocks'], also: ['block', 'blocking', 'veto', 'objection', 'objects', 'object'] },
  { when: ['vote', 'votes', 'voted', 'voting', 'ballot'], also: ['decision', 'decide', 'majority'] },
  { when: ['most members', 'most trusts', 'outvoted', 'out voted'], also: ['majority'] },
  { when: ['disagree', 'disagreement', 'disagrees', 'disagreeing', 'dispute', 'conflict', 'fall out', 'falling out'], also: ['dispute', 'disagreement', 'objection', 'resolution'] },
  { when: ['go along', 'refuse', 'refuses', 'ignore', 'ignores', 'wont implement', 'not implement'], also: ['implement', 'dispute', 'refuses'] },
  { when: ['unanimous', 'unanimously'], also: ['unanimity'] },
  { when: ['hospital', 'hospitals'], also: ['acute'] },
  { when: ['agree', 'agreed'], also: ['consensus'] },
  { when: ['reopen', 'reopened', 'revisit', 'go back', 'undo', 'overturn'], also: ['reopened', 'locked', 'gateway'] },
  { when: ['on its own', 'on their own', 'separately', 'individually', 'independently', 'sovereign', 'sovereignty'], also: ['separately', 'sovereignty', 'autonomy', 'accountable'] },
  { when: ['answerable', 'responsible', 'liable', 'accountability'], also: ['accountable', 'accountability'] },
  { when: ['sit', 'sits', 'fit', 'fits', 'fit in', 'relate', 'relates', 'interact'], also: ['relationship', 'role', 'work with', 'relate'] },
  { when: ['match', 'line up', 'align', 'same boundary'], also: ['coterminous', 'coterminosity', 'align', 'alignment'] },
  { when: ['mix', 'mixed', 'combine', 'hybrid'], also: ['combined', 'combination', 'mixed'] },
  { when: ['merge', 'merged', 'merging', 'merger'], also: ['merger', 'consolidation'] },
  { when: ['leave', 'quit', 'exit', 'withdraw', 'refuse to join', 'not join'], also: ['opt out', 'leave'] },
  { when: ['boss', 'head', 'leader', 'leaders', 'in charge', 'who runs', 'who leads'], also: ['chair', 'chief executive', 'lead', 'leadership'] },
  { when: ['stage', 'stages'], also: ['gateway', 'gateways'] },
  { when: ['make sense', 'makes sense', 'suitable', 'appropriate', 'right for', 'best for', 'work best', 'works best', 'when to use'], also: ['suits', 'suit', 'suited'] },
  { when: ['legal', 'law', 'laws', 'act', 'bill'], also: ['legislation', 'statutory', 'legal', 'bill'] },
  { when: ['have to', 'has to', 'compulsory', 'mandatory', 'obliged', 'required', 'obligatory', 'set structure'], also: ['required', 'mandatory', 'mandated', 'expected'] },
  { when: ['approve', 'approval', 'sign off', 'permission', 'deal', 'deals'], also: ['transaction', 'review', 'approval'] },
  { when: ['hand down', 'pass down', 'devolve', 'devolved', 'give us', 'hand over'], also: ['delegate', 'delegation', 'delegated'] },
  { when: ['reluctant', 'unwilling', 'hesitant', 'slow'], also: ['barriers', 'reluctance'] },
  // Everyday words for the guidance's vocabulary of money, people and progress.
  { when: ['money', 'budget', 'budgets', 'cash', 'funds', 'pay for', 'paid', 'spend', 'spending', 'cost', 'costs'], also: ['funding', 'funded', 'finance', 'financial', 'resource', 'resourced', 'resourcing', 'running costs'] },
  { when: ['save', 'saving', 'savings', 'cheaper', 'cut costs'], also: ['savings', 'efficiency', 'efficiencies', 'economies of scale'] },
  { when: ['split', 'divide', 'share out', 'fairly'], also: ['share', 'sharing'] },
  { when: ['losses', 'loss', 'overspend', 'deficit'], also: ['risk', 'deficit'] },
  { when: ['get to', 'reach', 'flows', 'route', 'routes'], also: ['flow', 'routes'] },
  { when: ['staff', 'staffing', 'people', 'employees', 'team', 'recruitment', 'recruit', 'hiring'], also: ['workforce', 'wte', 'roles', 'recruitment'] },
  { when: ['join', 'joining', 'member', 'in it', 'belong', 'part of', 'sign up'], also: ['membership', 'member', 'members', 'join'] },
  { when: ['problem', 'problems', 'issue', 'issues', 'difficulties', 'hard', 'harder', 'struggle', 'struggling'], also: ['challenge', 'challenges', 'barriers', 'difficult'] },
  { when: ['help', 'helps', 'assistance', 'helping'], also: ['support', 'mutual aid'] },
  { when: ['get on', 'get along', 'getting on', 'relations', 'trust each other'], also: ['relationships', 'relationship'] },
  { when: ['talk', 'talking', 'speak', 'contact', 'engage'], also: ['meet', 'engagement', 'engage', 'relationship'] },
  { when: ['start', 'starting', 'begin', 'beginning', 'set up', 'setting up', 'forming', 'establish', 'off the ground'], also: ['first', 'early', 'establish', 'setting up', 'steps'] },
  { when: ['delivered', 'achieved', 'results', 'outcomes'], also: ['achieved', 'delivered', 'benefits', 'achievements', 'results'] },
  { when: ['upside', 'upsides', 'advantages', 'pros', 'point', 'gain', 'gains', 'worth it'], also: ['benefits', 'purpose'] },
  { when: ['purpose', 'aims', 'goals', 'aim'], also: ['objectives', 'purpose', 'aims'] },
  { when: ['not hitting', 'hitting', 'failing', 'fail', 'fails', 'underperforming', 'off track', 'not delivering'], also: ['delivering', 'delivery', 'failing', 'oversight'] },
  { when: ['focus', 'focusing', 'priority', 'priorities'], also: ['priorities', 'focus', 'focusing'] },
  { when: ['overlap', 'overlapping', 'duplicate', 'duplicated'], also: ['duplication'] },
  { when: ['forum', 'forums', 'meetings', 'groups'], also: ['boards', 'committees', 'groups'] },
  { when: ['score', 'scoring', 'assess', 'compare', 'evaluate', 'weigh'], also: ['appraisal', 'appraise', 'criteria', 'assess'] },
  { when: ['structure', 'structures', 'setup', 'arrangement', 'arrangements', 'vehicle'], also: ['form', 'model', 'governance', 'option'] },
  { when: ['write down', 'describe'], also: ['describe', 'function', 'set out'] },
  { when: ['judged', 'measured', 'assessed', 'maturity', 'advanced', 'progress'], also: ['maturity', 'mature', 'progress', 'assessed'] },
  { when: ['origin', 'origins', 'history', 'originally', 'come from', 'background'], also: ['background', 'history', 'policy', 'timeline'] },
  { when: ['waits', 'waiting', 'backlog', 'backlogs', 'waiting list', 'waiting lists'], also: ['waiting', 'backlogs', 'recovery', 'elective'] },
  { when: ['cut', 'reduce', 'lower', 'tackle'], also: ['reduce', 'reducing', 'recovery'] },
  { when: ['area', 'areas', 'span', 'geography', 'patch', 'size', 'how big', 'cover'], also: ['footprint', 'geography', 'population'] },
  { when: ['contract', 'contracts'], also: ['contracting', 'contract'] },
  { when: ['poll', 'polls', 'survey', 'surveyed'], also: ['survey', 'respondents'] },
  { when: ['chief exec', 'chief execs', 'ceo', 'ceos'], also: ['chief executive', 'chief executives', 'shared leadership'] },
  { when: ['several trusts', 'multiple trusts', 'two trusts', '2 trusts', 'group of trusts'], also: ['group model', 'group', 'shared leadership'] },
];
