// Generated from the shell's Rust types by `cargo test -p ishc-app` (UPDATE_SNAPSHOTS=1). Do not edit.
import type { Club, Commune, CoreError, Generation, Refused, SignIn } from "./bindings";
export type ApiError = CoreError;
export type AppStatus = "ready" | "no_club" | "busy" | "error" | "commune";
export type AppState = { status: AppStatus, db_path: string, 
/**
 * Set when status is "error" (a damaged, newer or unreadable file).
 */
error: ApiError | null, clubs: Array<Club>, today: string, version: string, 
/**
 * Set when status is "commune": the commune's profile.
 */
commune: Commune | null, 
/**
 * The commune officer named on this window's first commune screen, if any yet.
 */
officer: string | null, };
export type BackupState = { folder: string, generations: Array<Generation>, 
/**
 * Why the last automatic backup of this session failed (none when it worked or none ran yet).
 */
last_auto_error: ApiError | null, };
export type Created = { club: Club, recovery_code: string, };
export type Countersigner = { sign_in_id: number, pin: string, };
export type AuthState = { needs_setup: boolean, sign_ins: Array<SignIn>, 
/**
 * The person signed in at this window (to this club), with today's roles.
 */
signed_in: SignIn | null, lock_minutes: number, 
/**
 * Idle seconds before the window locks: the club's lock_minutes, or `ISHC_IDLE_SECONDS`.
 */
idle_seconds: number, };
export type CommuneClubForm = { name: string, hamlet: string, key: string, fingerprint: string, };
export type ImportProgress = { done: number, total: number, };
export type Collected = { files: Array<string>, refused: Array<Refused>, };
