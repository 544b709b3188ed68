import type { Scope as ScopeEnum, StructureKind as Kind, VariableDeclarationKind as DeclarationKind } from "ts-morph";

// The ts-morph enums the emitters put in structures, as values, so that the main thread never loads
// ts-morph (0.65 s): its printer thread prints the structures (see project.ts). Each value is
// checked by the compiler against ts-morph's own.

const Class: Kind.Class = 2;
const Enum: Kind.Enum = 8;
const ExportDeclaration: Kind.ExportDeclaration = 11;
const Function: Kind.Function = 13;
const ImportDeclaration: Kind.ImportDeclaration = 16;
const Interface: Kind.Interface = 19;
const TypeAlias: Kind.TypeAlias = 38;
const VariableStatement: Kind.VariableStatement = 41;

export const StructureKind = { Class, Enum, ExportDeclaration, Function, ImportDeclaration, Interface, TypeAlias, VariableStatement } as const;

export const Scope = { Protected: "protected" as ScopeEnum.Protected, Private: "private" as ScopeEnum.Private } as const;

export const VariableDeclarationKind = { Const: "const" as DeclarationKind.Const } as const;
