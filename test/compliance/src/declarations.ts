import ts from 'typescript';

/**
 * Names a TypeScript source file declares: functions, classes, interfaces, types, enums and
 * their members, variables (also destructured), methods, properties of interfaces, classes and
 * object literals, and exported names. Read from the syntax tree, so a name that only appears
 * in a comment or a string does not count.
 */
export function declaredNames(fileName: string, text: string): Set<string> {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const names = new Set<string>();
  const add = (name: ts.Node | undefined) => {
    if (!name) return;
    if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name))
      names.add(name.text.replace(/^#/, ''));
    else if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name))
      for (const element of name.elements) if (ts.isBindingElement(element)) add(element.name);
  };
  const visit = (node: ts.Node) => {
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isClassDeclaration(node) ||
      ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) ||
      ts.isEnumDeclaration(node) ||
      ts.isEnumMember(node) ||
      ts.isVariableDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isMethodSignature(node) ||
      ts.isPropertyDeclaration(node) ||
      ts.isPropertySignature(node) ||
      ts.isPropertyAssignment(node) ||
      ts.isShorthandPropertyAssignment(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node) ||
      ts.isExportSpecifier(node) ||
      ts.isModuleDeclaration(node)
    )
      add(node.name);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/**
 * A test title as written in a test file: the literal text, or for a template literal with
 * substitutions, the text with each `${…}` replaced by a wildcard.
 */
export interface TestTitle {
  text: string;
  /** The title with each substitution as \u0000, a wildcard. */
  glob: string;
}

const TEST_FUNCTIONS = new Set(['it', 'test', 'describe', 'suite']);

/** Titles of every `it`, `test` and `describe` call (also `.each`, `.skipIf(…)`, `.only`). */
export function testTitles(fileName: string, text: string): TestTitle[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const titles: TestTitle[] = [];
  const rootName = (expr: ts.Expression): string | undefined => {
    if (ts.isIdentifier(expr)) return expr.text;
    if (ts.isPropertyAccessExpression(expr)) return rootName(expr.expression);
    if (ts.isCallExpression(expr)) return rootName(expr.expression);
    return undefined;
  };
  const literal = (expr: ts.Expression): string[] | undefined => {
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [expr.text];
    if (ts.isTemplateExpression(expr))
      return [expr.head.text, ...expr.templateSpans.flatMap((s) => [null, s.literal.text])].map(
        (p) => p ?? '\u0000',
      );
    if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = literal(expr.left);
      const right = literal(expr.right);
      return [...(left ?? ['\u0000']), ...(right ?? ['\u0000'])];
    }
    if (ts.isParenthesizedExpression(expr)) return literal(expr.expression);
    return undefined;
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const name = rootName(node.expression);
      const first = node.arguments[0];
      if (name && TEST_FUNCTIONS.has(name) && first) {
        const parts = literal(first);
        if (parts) {
          const glob = parts.join('');
          titles.push({ text: glob.replaceAll('\u0000', '…'), glob });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return titles;
}
