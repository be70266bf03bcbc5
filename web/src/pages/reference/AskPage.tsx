export default function AskPage() {
  return null;
}
