// Minimal renderer until the UI issue: shows the app is running, with no evidence on screen.
const root = document.getElementById('app');
if (root) {
  const heading = document.createElement('h1');
  heading.textContent = 'Dossier';
  root.append(heading);
}
