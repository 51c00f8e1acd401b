// TetherHelm: Helm charts rendered natively. Functions/ (Sprig and Helm's built-ins), Chart/
// (Chart.yaml, files, dependencies), Values/ (coalescing, schema), Output/ (the template stream).
