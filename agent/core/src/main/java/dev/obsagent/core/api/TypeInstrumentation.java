package dev.obsagent.core.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Advice for one family of types: which types, which class loaders (those that can see a marker
 * class), which methods get which advice class, and which helper classes must be injected into
 * the target's class loader because advice calls them.
 *
 * <p>Advice and helper classes are named by string: they refer to library types that the agent's
 * own class loader cannot see, so they are only ever resolved against the target's loader.
 */
public final class TypeInstrumentation {

  /** One method matcher and the advice class woven into the methods it matches. */
  public static final class AdviceBinding {
    public final MethodMatcher methods;
    public final String adviceClassName;

    AdviceBinding(MethodMatcher methods, String adviceClassName) {
      this.methods = methods;
      this.adviceClassName = adviceClassName;
    }
  }

  private final List<String> typeNames;
  private final String superTypeName;
  private final List<String> requiredClasses;
  private final List<AdviceBinding> advice;
  private final List<String> helperClassNames;

  private TypeInstrumentation(Builder builder) {
    this.typeNames = builder.typeNames;
    this.superTypeName = builder.superTypeName;
    this.requiredClasses = Collections.unmodifiableList(builder.requiredClasses);
    this.advice = Collections.unmodifiableList(builder.advice);
    this.helperClassNames = Collections.unmodifiableList(builder.helperClassNames);
  }

  /** Types with one of these exact names. */
  public static Builder forTypesNamed(String... typeNames) {
    return new Builder(List.of(typeNames), null);
  }

  /** Classes (not interfaces) that extend or implement the named type, or are it. */
  public static Builder forClassesExtending(String typeName) {
    return new Builder(List.of(), typeName);
  }

  /**
   * The exact names matched, or none when matched by supertype. Only these two kinds of matcher
   * exist so that the installer can tell from a class file alone, cheaply, whether a class is
   * matched.
   */
  public List<String> typeNames() {
    return typeNames;
  }

  /** The supertype matched by, or null when matched by exact name. */
  public String superTypeName() {
    return superTypeName;
  }

  /** Classes the target's loader must see (marker classes that tell library versions apart). */
  public List<String> requiredClasses() {
    return requiredClasses;
  }

  public List<AdviceBinding> advice() {
    return advice;
  }

  public List<String> helperClassNames() {
    return helperClassNames;
  }

  /** Builds a {@link TypeInstrumentation}. */
  public static final class Builder {
    private final List<String> typeNames;
    private final String superTypeName;
    private final List<String> requiredClasses = new ArrayList<>();
    private final List<AdviceBinding> advice = new ArrayList<>();
    private final List<String> helperClassNames = new ArrayList<>();

    private Builder(List<String> typeNames, String superTypeName) {
      this.typeNames = typeNames;
      this.superTypeName = superTypeName;
    }

    /** Only class loaders that can see this class (and the others named so) are considered. */
    public Builder whenClassVisible(String className) {
      requiredClasses.add(className);
      return this;
    }

    public Builder advice(MethodMatcher methods, String adviceClassName) {
      advice.add(new AdviceBinding(methods, adviceClassName));
      return this;
    }

    /** Classes the advice calls that need library types, injected into the target's loader. */
    public Builder helpers(String... classNames) {
      Collections.addAll(helperClassNames, classNames);
      return this;
    }

    public TypeInstrumentation build() {
      return new TypeInstrumentation(this);
    }
  }
}
