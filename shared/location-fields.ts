/**
 * Which recorded details say where something was: GPS coordinates and the like. The app and
 * the offline viewer both hide them until the person asks ("Show location"), because a
 * photo's GPS position can give away a home address.
 */
export function isLocationKey(key: string): boolean {
  return /gps|latitude|longitude|altitude|location/i.test(key);
}
