// Its error is shown at its own line.
int broken(int v) {
  return v +;
}
