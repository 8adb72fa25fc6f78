export { mountDoctorView, type MountedDoctorView } from './mount.js';
export { DoctorView, type DoctorViewProps } from './DoctorView.js';
