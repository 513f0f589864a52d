// Generated from the shell's Rust types by `cargo test -p ishc-app` (UPDATE_SNAPSHOTS=1). Do not edit.
import type { Club, CoreError, Generation, SignIn } from "./bindings";
export type ApiError = CoreError;
export type AppStatus = "ready" | "no_club" | "busy" | "error";
export type AppState = { status: AppStatus, db_path: string, 
/**
 * Set when status is "error" (a damaged, newer or unreadable file).
 */
error: ApiError | null, clubs: Array<Club>, today: string, version: string, };
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
