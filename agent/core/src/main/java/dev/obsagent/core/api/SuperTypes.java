package dev.obsagent.core.api;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Type matchers by the names of a type's superclasses and interfaces, made for the hot path of
 * class loading. Byte Buddy's {@code hasSuperType} resolves generic signatures and walks the
 * hierarchy again for every matcher; here the erased names of all supertypes are collected once
 * per loaded type (every module's matcher then reuses them) and a supertype the class path lacks
 * is skipped instead of failing the match.
 */
public final class SuperTypes {

  /**
   * The type matched last on this thread and its supertype names: every module's matcher runs on
   * the same type one after the other. Held weakly: a type description leads to its class loader,
   * which must stay collectable once its application is undeployed.
   */
  private static final ThreadLocal<Last> LAST = new ThreadLocal<>();

  private static final class Last extends WeakReference<TypeDescription> {
    final Set<String> names;

    Last(TypeDescription type, Set<String> names) {
      super(type);
      this.names = names;
    }
  }

  private SuperTypes() {}

  /** A class (not an interface) that extends or implements the named type, or is it. */
  public static ElementMatcher.Junction<TypeDescription> classExtending(String typeName) {
    return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
      @Override
      public boolean matches(TypeDescription type) {
        return !type.isInterface() && names(type).contains(typeName);
      }

      @Override
      public String toString() {
        return "classExtending(" + typeName + ")";
      }
    };
  }

  /** The erased names of the type and all its supertypes, from the cache when the type was just seen. */
  static Set<String> names(TypeDescription type) {
    Last last = LAST.get();
    if (last != null && last.get() == type) {
      return last.names;
    }
    Set<String> names = collect(type);
    LAST.set(new Last(type, names));
    return names;
  }

  private static Set<String> collect(TypeDescription type) {
    Set<String> names = new HashSet<>();
    Deque<TypeDescription> todo = new ArrayDeque<>();
    todo.add(type);
    while (!todo.isEmpty()) {
      TypeDescription current = todo.poll();
      if (!names.add(current.getName())) {
        continue;
      }
      try {
        TypeDescription.Generic superClass = current.getSuperClass();
        if (superClass != null) {
          todo.add(superClass.asErasure());
        }
        for (TypeDefinition anInterface : current.getInterfaces().asErasures()) {
          todo.add(anInterface.asErasure());
        }
      } catch (RuntimeException unresolvable) {
        // A supertype missing from the class path: what was found so far still counts.
      }
    }
    return names;
  }
}
