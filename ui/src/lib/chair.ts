// The chairperson's roster entry made with a new club (or a club left without one).
import type { MemberInput, Sex } from "./bindings";

export function chairInput(name: string, sex: Sex, birthYear: string, joinedOn: string, today: string): MemberInput {
  const year = Number(birthYear.trim());
  return {
    full_name: name, sex, birth_year: birthYear.trim() !== "" && Number.isInteger(year) ? year : 0, birth_date: null,
    ethnicity: "Kinh", hamlet: "", phone: "", joined_on: joinedOn, consent_on: today, flags: [], roles: ["chair"],
  };
}
