package dev.obsagent.core.install;

import dev.obsagent.core.api.SuperTypes;
import dev.obsagent.core.api.TypeInstrumentation;
import dev.obsagent.core.weave.AdviceClass;
import dev.obsagent.core.weave.ClassWeaver;
import dev.obsagent.core.weave.WeavingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@link TypeInstrumentation} of one module, ready for the transformer: which classes it
 * matches (by exact name, or by a supertype's bit in {@link SuperTypes}), which class loaders, its
 * advice read from the agent's class files on first use, and its helpers.
 */
final class WovenType {

  final String instrumentation;
  final TypeInstrumentation type;
  /** Internal names ({@code a/b/C}) matched exactly. */
  final Set<String> internalNames;
  /** The supertype's bit, or 0 when matched by name. */
  final long superTypeBit;
  final ClassLoaderSees loaderSees;
  final HelperInjector helpers;
  private final AdviceClasses adviceClasses;
  private volatile List<ClassWeaver.Binding> bindings;

  WovenType(String instrumentation, TypeInstrumentation type, AdviceClasses adviceClasses, HelperInjector helpers) {
    this.instrumentation = instrumentation;
    this.type = type;
    Set<String> names = new HashSet<>();
    for (String name : type.typeNames()) {
      names.add(name.replace('.', '/'));
    }
    this.internalNames = Collections.unmodifiableSet(names);
    this.superTypeBit = type.superTypeName() == null ? 0 : SuperTypes.register(type.superTypeName());
    this.loaderSees = new ClassLoaderSees(type.requiredClasses());
    this.helpers = helpers;
    this.adviceClasses = adviceClasses;
  }

  /** @param superTypeMask the class's {@link SuperTypes#matchedMask}, or 0 when unknown */
  boolean matches(String internalName, long superTypeMask) {
    return internalNames.contains(internalName) || (superTypeMask & superTypeBit) != 0;
  }

  List<ClassWeaver.Binding> bindings() throws WeavingException {
    List<ClassWeaver.Binding> known = bindings;
    if (known == null) {
      known = new ArrayList<>();
      for (TypeInstrumentation.AdviceBinding binding : type.advice()) {
        AdviceClass advice = adviceClasses.get(binding.adviceClassName);
        known.add(new ClassWeaver.Binding(binding.methods, advice, instrumentation));
      }
      bindings = known;
    }
    return known;
  }
}
