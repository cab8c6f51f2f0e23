// Writes the Maven projects and settings the mvn scenario uses. Maven runs with NO network:
// every repository but NORA is mirrored to the machine's ~/.m2 (read through file://, never
// written), plugins are pinned to versions present there, builds use their own local repository.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';

/** Plugin versions whose whole dependency tree exists in ~/.m2 (scripts/ci/install-deps.sh seeds it). */
const PLUGINS = (JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'scripts', 'ci', 'clients.json'), 'utf8')) as { maven_plugins: Record<string, string> }).maven_plugins;

export function settingsXml(repoUrl: string): string {
  const m2 = path.join(os.homedir(), '.m2', 'repository');
  return `<settings>
  <mirrors>
    <mirror><id>nora</id><mirrorOf>nora</mirrorOf><url>${repoUrl}</url></mirror>
    <mirror><id>machine-m2</id><mirrorOf>*,!nora</mirrorOf><url>file://${m2}</url></mirror>
  </mirrors>
  <servers><server><id>nora</id><username>ci</username><password>ci-secret</password></server></servers>
  <profiles><profile><id>nora</id><repositories><repository><id>nora</id><url>${repoUrl}</url>
    <releases><enabled>true</enabled></releases><snapshots><enabled>true</enabled><updatePolicy>always</updatePolicy></snapshots>
  </repository></repositories></profile></profiles>
  <activeProfiles><activeProfile>nora</activeProfile></activeProfiles>
</settings>
`;
}

function pom(coordinates: string, repoUrl: string, dependencies = ''): string {
  const plugins = Object.entries(PLUGINS).map(([name, version]) => `    <plugin><artifactId>maven-${name}-plugin</artifactId><version>${version}</version></plugin>`).join('\n');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
${coordinates}
  <packaging>jar</packaging>
  <properties><maven.compiler.release>17</maven.compiler.release><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
${dependencies}
  <distributionManagement>
    <repository><id>nora</id><url>${repoUrl}</url></repository>
    <snapshotRepository><id>nora</id><url>${repoUrl}</url></snapshotRepository>
  </distributionManagement>
  <build><plugins>
${plugins}
  </plugins></build>
</project>
`;
}

/** The library: org.example.nora:greeter at `version`, whose greeting is `greeting`. */
export async function writeLibrary(dir: string, repoUrl: string, version: string, greeting: string): Promise<void> {
  const src = path.join(dir, 'src/main/java/org/example/lib');
  await mkdir(src, { recursive: true });
  await writeFile(path.join(dir, 'pom.xml'), pom(`  <groupId>org.example.nora</groupId>\n  <artifactId>greeter</artifactId>\n  <version>${version}</version>`, repoUrl));
  await writeFile(path.join(src, 'Greeter.java'), `package org.example.lib;\npublic class Greeter { public static String greet(String who) { return "${greeting} " + who; } }\n`);
}

/** The consumer: depends on greeter at ${greeter.version} (given with -D on each build). */
export async function writeConsumer(dir: string, repoUrl: string): Promise<void> {
  const src = path.join(dir, 'src/main/java/org/example/app');
  await mkdir(src, { recursive: true });
  const dependency = '  <dependencies><dependency><groupId>org.example.nora</groupId><artifactId>greeter</artifactId><version>${greeter.version}</version></dependency></dependencies>';
  await writeFile(path.join(dir, 'pom.xml'), pom('  <groupId>org.example.nora</groupId>\n  <artifactId>app</artifactId>\n  <version>1.0</version>', repoUrl, dependency));
  await writeFile(path.join(src, 'Main.java'), 'package org.example.app;\npublic class Main { public static void main(String[] args) { System.out.println(org.example.lib.Greeter.greet("nora")); } }\n');
}

const run = promisify(execFile);

/** Runs batch-mode, quiet mvn with the given settings and local repository; never throws on failure. */
export async function runMvn(settings: string, cwd: string, localRepo: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run('mvn', ['-B', '-q', '-s', settings, `-Dmaven.repo.local=${localRepo}`, ...args], { cwd, maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
