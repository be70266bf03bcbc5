export default function ReferencePage() {
  return null;
}
