import { courseQuiz, demoModule, page, type DemoCourse } from './types';

const dimensions = (rows: [string, string][]): string =>
  `<table><thead><tr><th>维度</th><th>客户看什么</th></tr></thead><tbody>${rows.map(([d, what]) => `<tr><td>${d}</td><td>${what}</td></tr>`).join('')}</tbody></table>`;

/** The telecom operator's own course (seed 002): service values and the five service dimensions. */
export const TELECOM_COURSE: DemoCourse = {
  code: 'unicom-service-values',
  title: { 'zh-CN': '服务价值观与服务五大维度', en: 'Service Values and the Five Service Dimensions' },
  description: {
    'zh-CN': '从客户期望与感知出发，塑造服务价值观和职业素养，并用有形度、同理度、专业度、反应度、信赖度五大维度衡量产品、人员和企业的服务。',
    en: 'From customer expectations and perception to service values and professionalism, and the five dimensions that measure products, people and companies.',
  },
  tags: ['服务价值观', '职业素养', '营业厅'],
  estimatedMinutes: 100,
  selfEnrollment: false,
  modules: [
    demoModule('客户期望与客户感知', 'Expectation and perception', [
      page('服务决定客户价值', 'Service decides what customers are worth', `
<p>技术进步、竞争加剧，各行各业都在变化。对我们来说，客户是最宝贵的财富；要留住财富、创造财富，最重要的手段是提供优质的服务体系。客户衡量一家企业价值的重要标准，就是它的服务质量。</p>`),
      page('期望、感知与满意度', 'Expectation, perception, satisfaction', `
<p>能否长期留住客户，取决于客户对服务的满意度；而满意度又取决于客户对服务的综合感受，以及他自己心中评判服务的标准。</p>
<p>服务是和人打交道的工作。我们在提供服务的同时，必须同时关注客户的<strong>期望</strong>和<strong>感知</strong>：两者一致，客户才会满意。</p>
<p>一个实用的公式：<strong>客户感知 = 客户体验 + 客户期望</strong>。</p>`),
      page('案例：不换号也能安心用上 3G', 'Case: keeping customers reachable', `
<p><strong>客户期望</strong>：一位经常出差的业务员想办理 3G 业务，希望全国接听免费、拨打和漫游统一资费，但不想换号——他的客户资料太多，逐一通知亲友太麻烦。</p>
<p><strong>现实</strong>：他的 2G 号码不支持 3G 套餐，无法直接更改。</p>
<p><strong>针对原因找措施</strong>：营业员向他推荐了“商务助理”客户端平台，并协助他把通讯录录入平台，用群发功能一次通知所有亲友；以后即使丢卡或换号，也能用这个平台通知。</p>
<p><strong>客户感知</strong>：号码虽然换了，但亲友都及时收到了通知，新的 3G 套餐还让月话费明显降低，主要期望都实现了。平台还能在电脑上群发短信、发送生日和节日祝福，带来了额外的价值。</p>
<p>启示：找到客户期望背后的真正原因，才能给出超出预期的方案。</p>`),
    ]),
    demoModule('塑造服务价值观', 'Building service values', [
      page('什么是服务价值观', 'What service values are', `
<p>服务价值观，是服务者从服务需要出发，按照自己理解的重要程度，对服务要素进行评价和取舍，并以此指导行为的心理倾向。</p>
<p>它包括两个层面：</p><ul><li><strong>服务价值目标</strong>：人们思考、确定并追求的、对服务有重要意义的目标；</li>
<li><strong>服务价值手段</strong>：为实现目标而采取的途径和方法，主要包括服务态度、服务道德和服务技能。</li></ul>
<p>对服务型企业来说，价值目标是社会满意、政府满意、客户满意、员工满意；价值手段是服务态度与服务道德（由管理制度和员工行为准则约束）以及服务技能（专业知识与综合素质）。</p>`),
      page('塑造服务价值观的三个统一', 'Three principles', `
<ol><li><strong>服务价值目标与服务价值手段相统一</strong>：目标要靠手段实现，两者兼具客观性和主观性；</li>
<li><strong>个人价值取向与社会价值取向相统一</strong>：二者相互促进、相互制约，实现两者利益的统一是塑造员工服务价值观的重要原则；</li>
<li><strong>服务态度、服务道德与服务技能相统一</strong>：三种手段协调一致，才能构成和谐的系统，更好地实现服务目标。</li></ol>`),
    ]),
    demoModule('塑造职业素养', 'Professionalism', [
      page('内化素养与外化素养', 'Inner and outer professionalism', `
<p>职业素养，是职业人在工作中尽最大能力把工作做好的素质和能力。</p>
<ul><li><strong>内化素养</strong>是最根本的部分，包括个人的世界观、价值观、人生观；</li>
<li><strong>外化素养</strong>指计算机、外语等技能范畴的素养，通过学习培训比较容易获得，并在实践中日渐成熟。</li></ul>`),
      page('完美的工作态度：敬业、责任、忠诚', 'Dedication, responsibility, loyalty', `
<p><strong>敬业</strong>：员工之间比拼的不只是智慧和能力，还有态度。态度决定行为，决定你是尽心尽力还是敷衍了事。用正确的态度对待每一件小事，在小事中积累自己的财富。</p>
<p><strong>责任</strong>：责任感决定你对待责任的态度。对待工作追求完美，把企业利益当作自己的利益，做需要做的事，而不只是被要求做的事。</p>
<p><strong>忠诚</strong>：既有能力又忠诚敬业的人，才是企业渴求的人才。企业宁可信任能力一般但忠诚度高、敬业精神强的人。</p>`),
      page('燃烧的工作激情：激情、进取、合作', 'Passion, drive, teamwork', `
<p><strong>激情</strong>：刚上岗时人人都有激情，熟练之后却容易消退，因为激情建立在新鲜感上。把工作当成事业、把兴趣转化为责任，激情才能重新燃起。</p>
<p><strong>进取</strong>：满足现状意味着退步。对自己的要求适当高于领导的要求，不断学习、多做一点点。</p>
<p><strong>合作</strong>：团队资源有限，分配不可能绝对公平。与其消极抱怨，不如尽职尽责；个人是鱼，团队是水，团队的力量大于个人。</p>`),
    ]),
    demoModule('案例分析', 'Case studies', [
      page('案例一：小李和小王', 'Case 1: Xiao Li and Xiao Wang', `
<p>小李和小王同时进入一家零售店，薪水相同。一段时间后小李升职加薪，小王却原地踏步，于是找老板抱怨。</p>
<p>老板让小王去集市看看有什么货。小王跑了三趟：第一趟回来说有个农民在卖土豆；第二趟才问清一共四十袋；第三趟才问到价格。</p>
<p>老板又把同样的任务交给小李。小李一趟就带回了全部信息：只有一个农民在卖土豆，四十袋，每斤 0.75 元，质量不错，还带回一个样品；他还注意到这位农民的西红柿卖得很快、价格便宜，估计老板会想进货，于是把农民也请来了，正在门外等回话。</p>
<p><strong>要点：积极主动最为重要。</strong>想一想，在营业厅接待客户时，怎样做到“多想一步”？</p>`),
      page('案例二：家具店里的销售', 'Case 2: the furniture showroom', `
<p>一对夫妻周末逛家具店，只是随便看看。问了一款实木酒柜的价格——一万二，觉得太贵转身要走。</p>
<p>一位销售人员热情地说：“不买没关系，看看我们其他的家具吧。”她带着他们体验可以自由组合的床和衣柜、能变大变小的书桌，一边挪动家具一边讲解怎样摆放最省空间、孩子睡哪种组合最安全。</p>
<p>最后她递上名片：“不买没关系，希望您认识我们的产品，有机会用我们的产品享受生活。”走出店门，丈夫说：“这才是销售人员！”</p>
<p><strong>要点：激情的重要性。</strong>真诚的热情会打动客户，哪怕这一次没有成交。</p>`),
    ]),
    demoModule('服务的五大维度', 'The five dimensions', [
      page('五大维度总览', 'Overview', `
<p>不同客户对服务的期望不同，但衡量服务好坏的标准相似。客户的感知主要来自三个方面：<strong>产品的使用、服务人员的服务质量、企业的服务能力</strong>。</p>
<p>衡量服务质量的五大维度是：<strong>有形度、同理度、专业度、反应度、信赖度</strong>。其中信赖度最为重要。</p>`),
      page('用五大维度衡量产品', 'Measuring products', dimensions([
        ['有形度', '产品包装和宣传带来的视觉感受'], ['同理度', '产品设计的功能性和人性化'], ['反应度', '产品运行速度和工作效率'],
        ['专业度', '产品品质和技术含量'], ['信赖度', '产品的安全性和稳定性——这也是大家愿意选择品牌产品的原因'],
      ])),
      page('用五大维度衡量服务人员', 'Measuring service staff', dimensions([
        ['有形度', '视觉、听觉、嗅觉感受到的综合职业形象'], ['同理度', '理解客户需求、满足情感需求的能力——客户非常看重'],
        ['反应度', '服务效率和积极响应的态度'], ['专业度', '专业知识和沟通能力'], ['信赖度', '不轻易承诺，承诺了就做到——客户选择服务人员最重要的依据'],
      ]) + '<p>这也解释了为什么很多客户不愿意更换已经熟悉的客户经理。</p>'),
      page('用五大维度衡量企业', 'Measuring the company', dimensions([
        ['有形度', '企业形象和宣传包装'], ['同理度', '对客户需求的理解、对客户的尊重和关怀'], ['反应度', '解决问题的效率、对需求的响应'],
        ['专业度', '硬件水平和服务能力'], ['信赖度', '口碑和品牌——只有持之以恒地履行承诺，才能赢得口碑'],
      ])),
      page('小结', 'Summary', `
<p>具备良好的职业素养，才能心平气和地把手中的事情做好，赢得尊重、实现价值。敬业、忠诚、进取、责任、激情、合作，一旦成为习惯，工作和生活都会更加精彩。</p>
<p>服务，是满足客户期望的过程：以客户为中心，关注客户的感知和期望。</p>`),
      courseQuiz(),
    ]),
  ],
};
