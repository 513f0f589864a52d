// Runtime lists of the codes the core owns. bindings.ts (generated from Rust by ts-rs) has only the
// type unions; each list here is written as a Record keyed by its union, so a variant added to or
// removed from the Rust enum is a type error (`npm run check`) until the list is brought in line.
// The order written here is the order shown on screen.
import type {
  Action, ActivityKind, Area, AuthRole, Counts, DecisionKind, Flag, Fund, LoanStatus, MeetingKind, Purpose, Role, Source, Topic,
} from "./bindings";

/** Every value of the union `T`, in the order of the object literal (which must name each exactly once). */
export function every<T extends string>(all: Record<T, true>): T[] {
  return Object.keys(all) as T[];
}

export const FUNDS = every<Fund>({ activity: true, income: true });
export const SOURCES = every<Source>({
  dues: true, community: true, family: true, business: true, charity: true, seed: true, fundraising: true, interest: true, other: true,
});
export const AREAS = every<Area>({ a1: true, a2: true, a3: true, a4: true, a5: true, a6: true, a7: true, a8: true, admin: true });
export const TOPICS = every<Topic>({
  a1: true, a2: true, a3: true, a4: true, a5: true, a6: true, a7: true, a8: true, digital: true, green: true, startup: true,
});
/** The eight areas of activity, as meeting topics. */
export const AREA_TOPICS = TOPICS.filter((t) => /^a\d$/.test(t));
/** The themes a meeting can cover besides the eight areas. */
export const THEME_TOPICS = TOPICS.filter((t) => !/^a\d$/.test(t));
export const FLAGS = every<Flag>({ poor: true, near_poor: true, disability: true, living_alone: true });
export const ROLES = every<Role>({
  volunteer: true, care_recipient: true, chair: true, vice_chair: true, treasurer: true, secretary: true, group_leader: true,
});
/** A sign-in's roles (from the roster's board roles on the day) and what each may do (auth/permissions.rs). */
export const AUTH_ROLES = every<AuthRole>({
  chair: true, vice_chair: true, treasurer: true, secretary: true, board_member: true, viewer: true,
});
export const ACTIONS = every<Action>({
  member_write: true, meeting_write: true, activity_write: true, money: true, loan_apply: true, month_close: true,
  correction: true, write_off: true, reschedule: true, rule_change: true, key_change: true, report_send: true,
  sign_in_manage: true, restore: true,
});
export const PURPOSES = every<Purpose>({ livestock: true, crops: true, trade: true, services: true, other: true });
export const ACTIVITY_KINDS = every<ActivityKind>({
  home_visit: true, health_check: true, support: true, rights: true, training: true, event: true,
});
export const MEETING_KINDS = every<MeetingKind>({ monthly: true, board: true, extraordinary: true, annual: true });
export const DECISION_KINDS = every<DecisionKind>({
  loan_approval: true, loan_reschedule: true, loan_write_off: true, admission: true, spending: true, other: true,
});
export const LOAN_STATUSES = every<LoanStatus>({
  applied: true, approved: true, disbursed: true, repaid: true, written_off: true, withdrawn: true,
});
export const COUNT_KEYS = every<keyof Counts>({
  members: true, women: true, men: true, older: true, younger: true, older_women: true, disadvantaged: true, poor: true,
  near_poor: true, disability: true, living_alone: true, ethnic_minority: true, volunteers: true,
});
